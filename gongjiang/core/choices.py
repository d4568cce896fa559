from django.db import models


class RegionKind(models.TextChoices):
    CITY = "city", "市"
    DISTRICT = "district", "区"
    COUNTY = "county", "县"
    ZONE = "zone", "功能板块"


class OccupationKind(models.TextChoices):
    MAJOR = "major", "大类"
    MIDDLE = "middle", "中类"
    MINOR = "minor", "小类"
    OCCUPATION = "occupation", "职业（细类）"
