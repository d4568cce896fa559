"""Synthetic but valid identifiers and names, for demo data, benchmarks and tests."""

from __future__ import annotations

import datetime
import random

from stdnum.cn import ric, uscc

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉健俊帅浩宇博文斌海龙建国志强春梅晓东立新丹雪梅"
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"

# Address codes that begin Lianyungang ID numbers, current and historic.
LYG_ADDRESS_CODES = ["320703", "320706", "320707", "320722", "320723", "320724", "320705", "320721", "320704"]


def make_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def make_resident_id(
    rng: random.Random,
    *,
    address_code: str | None = None,
    birth: datetime.date | None = None,
    female: bool | None = None,
) -> str:
    """A resident ID number with a valid checksum, birth date and address code."""
    address_code = address_code or rng.choice(LYG_ADDRESS_CODES)
    if birth is None:
        birth = datetime.date(1965, 1, 1) + datetime.timedelta(days=rng.randrange(0, 365 * 38))
    seq = rng.randrange(0, 1000) if female is None else rng.randrange(0, 500) * 2 + (0 if female else 1)
    body = f"{address_code}{birth:%Y%m%d}{seq:03d}"
    return body + ric.calc_check_digit(body + "0")


def make_uscc(rng: random.Random, *, region_code: str = "320706", category: str = "91") -> str:
    """A unified social credit code with a valid check character (category 91 = enterprise)."""
    body = category + region_code[:6] + "".join(rng.choice(USCC_CHARS) for _ in range(9))
    return body + uscc.calc_check_digit(body)


def make_phone(rng: random.Random) -> str:
    return (
        rng.choice(["138", "139", "150", "151", "152", "158", "180", "187", "189"])
        + f"{rng.randrange(0, 10**8):08d}"
    )
