"""Synthetic people for the demo and the benchmarks: Chinese names, resident ID numbers with
a valid check character (never a real person's: the sequence digits are random) and random
days."""

import datetime

from shegong.common.idcard import check_character

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余"
    "杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙"
    "史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国文斌宇浩凯婷雪琳"
    "晨欣怡颖佳琪梓涵子轩浩然宇航雨桐思远俊杰嘉怡一诺"
)


class Names:
    """Full names drawn from one random source: a surname and one or two given characters."""

    def __init__(self, rng):
        self.rng = rng

    def person(self) -> str:
        given = "".join(self.rng.choice(GIVEN) for _ in range(self.rng.choice([1, 2, 2])))
        return self.rng.choice(SURNAMES) + given


def random_date(rng, start: datetime.date, end: datetime.date) -> datetime.date:
    """A day between ``start`` and ``end``, both included."""
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


def synthetic_id(rng, area: str, birth: datetime.date, sex: str) -> str:
    """A resident ID number (GB 11643) of the area, birthday and sex given."""
    sequence = rng.randrange(1, 500) * 2 + (1 if sex == "M" else 0)
    first17 = f"{area}{birth:%Y%m%d}{sequence % 1000:03d}"
    return first17 + check_character(first17)
