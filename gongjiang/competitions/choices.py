from django.db import models

from gongjiang.common.badges import coloured


class Tier(models.TextChoices):
    """The competition system of measure 六, flagships first."""

    WORLDSKILLS = "worldskills", "世界技能大赛"
    NATIONAL_1 = "national_1", "国赛一类（全国职业技能大赛等）"
    NATIONAL_2 = "national_2", "国赛二类（全国行业职业技能竞赛）"
    PROVINCE = "province", "省状元大赛（江苏技能状元大赛）"
    CITY = "city", "市状元大赛（连云港技能状元大赛）"
    TRADE = "trade", "行业/企业技能竞赛"


class Award(models.TextChoices):
    GOLD = "gold", "金牌"
    SILVER = "silver", "银牌"
    BRONZE = "bronze", "铜牌"
    EXCELLENCE = "excellence", "优胜奖"
    FIRST = "first", "一等奖"
    SECOND = "second", "二等奖"
    THIRD = "third", "三等奖"
    NONE = "none", "未获奖"


class Promotion(models.TextChoices):
    NONE = "none", "不晋升"
    ONE_UP = "one_up", "晋升一级"
    TO_LEVEL = "to_level", "直接晋升到指定等级"


@coloured(draft="secondary", published="success")
class EventStatus(models.TextChoices):
    DRAFT = "draft", "成绩录入中"
    PUBLISHED = "published", "已公布"


@coloured(recorded="warning", published="success", withdrawn="danger")
class ResultStatus(models.TextChoices):
    RECORDED = "recorded", "待公布"
    PUBLISHED = "published", "已公布"
    WITHDRAWN = "withdrawn", "已撤回"
