"""What a second-generation ID card (二代身份证) says, and the national code tables it uses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Card:
    """The text of one card; valid_to is None for a card valid for life (长期)."""

    name: str
    sex: str
    nation: str
    birth: date
    address: str
    id_number: str
    issuer: str
    valid_from: date
    valid_to: date | None

    def __repr__(self) -> str:
        # A card in a log or a traceback shows no more than the kiosk's masked forms.
        masked = self.id_number[:6] + "********" + self.id_number[-4:] if len(self.id_number) > 10 else "****"
        return f"Card(name={self.name[:1] + '*' * (len(self.name) - 1)!r}, id_number={masked!r})"


# GB/T 2261.1-2003 人的性别代码.
SEX_NAMES = {"0": "未知的性别", "1": "男", "2": "女", "9": "未说明的性别"}
SEX_CODES = {name: code for code, name in SEX_NAMES.items()}

# GB 3304-1991 中国各民族名称的罗马字母拼写法和代码 (numeric codes); the card prints the name
# without 族, as these do. 97 and 98 are the standard's 其他 and 外国血统中国籍人士.
NATION_NAMES = {
    "01": "汉", "02": "蒙古", "03": "回", "04": "藏", "05": "维吾尔", "06": "苗", "07": "彝", "08": "壮",
    "09": "布依", "10": "朝鲜", "11": "满", "12": "侗", "13": "瑶", "14": "白", "15": "土家", "16": "哈尼",
    "17": "哈萨克", "18": "傣", "19": "黎", "20": "傈僳", "21": "佤", "22": "畲", "23": "高山", "24": "拉祜",
    "25": "水", "26": "东乡", "27": "纳西", "28": "景颇", "29": "柯尔克孜", "30": "土", "31": "达斡尔",
    "32": "仫佬", "33": "羌", "34": "布朗", "35": "撒拉", "36": "毛南", "37": "仡佬", "38": "锡伯",
    "39": "阿昌", "40": "普米", "41": "塔吉克", "42": "怒", "43": "乌孜别克", "44": "俄罗斯", "45": "鄂温克",
    "46": "德昂", "47": "保安", "48": "裕固", "49": "京", "50": "塔塔尔", "51": "独龙", "52": "鄂伦春",
    "53": "赫哲", "54": "门巴", "55": "珞巴", "56": "基诺", "97": "其他", "98": "外国血统中国籍人士",
}
NATION_CODES = {name: code for code, name in NATION_NAMES.items()}
