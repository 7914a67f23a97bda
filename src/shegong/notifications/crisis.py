"""Crisis words (R3.2): a reviewed lexicon matched against a visit's findings or a service
record's notes after segmenting them with jieba, skipping words negated in their clause
("无自杀倾向", "否认家暴", "没有轻生念头").

jieba's dictionary takes seconds to load: one tokenizer per process, built on first use,
with the lexicon's words added as user words so that each is kept whole; words added to the
lexicon later are added to the loaded tokenizer on the next check."""

import logging
import re
import threading

from .models import CrisisWord

log = logging.getLogger(__name__)

_lock = threading.Lock()
_tokenizer = None
_known: set[str] = set()

# A clause ends at punctuation or at a turn ("但", "可是"): a negation does not reach across.
_CLAUSE = re.compile(r"[，。；！？、,.;!?\n\r]+|但是|但|可是|然而|不过")
# Words that deny what follows them in the same clause.
NEGATORS = {
    "无",
    "没",
    "没有",
    "否认",
    "未",
    "未见",
    "未发现",
    "未有",
    "未曾",
    "并无",
    "并未",
    "从未",
    "从未有过",
    "从没有过",
    "未曾有过",
    "没有过",
    "无任何",
    "从没",
    "从来没有",
    "不曾",
    "排除",
    "无明显",
    "未诉",
    "否",
}
# A negator preceded by one of these is itself denied ("不排除自杀可能"): the word counts.
DOUBLE_NEGATORS = {"不", "不能", "无法", "难以", "不可"}
# What may stand between a negator and the word it denies ("没有任何轻生念头",
# "未发现明显家暴迹象", "否认曾遭受家暴").
FILLERS = {
    "明显",
    "任何",
    "有",
    "有过",
    "过",
    "曾",
    "曾经",
    "发现",
    "出现",
    "提及",
    "提到",
    "表达",
    "表示",
    "存在",
    "遭受",
    "受到",
    "遭到",
    "被",
    "的",
    "其他",
    "相关",
    "再",
    "再次",
    "说",
    "想",
    "想过",
    "要",
    "打算",
    "实施",
}


def _load():
    global _tokenizer
    if _tokenizer is None:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        tokenizer = jieba.Tokenizer()
        tokenizer.initialize()
        _tokenizer = tokenizer
    return _tokenizer


def lexicon() -> list[str]:
    """The active words, longest first."""
    words = CrisisWord.objects.filter(is_active=True).values_list("word", flat=True)
    return sorted({w.strip() for w in words if w.strip()}, key=len, reverse=True)


def tokenizer_with(words):
    with _lock:
        tokenizer = _load()
        for word in words:
            if word not in _known:
                tokenizer.add_word(word, freq=2_000_000)
                _known.add(word)
        for negator in NEGATORS | DOUBLE_NEGATORS:
            if negator not in _known and len(negator) > 1:
                tokenizer.add_word(negator, freq=2_000_000)
                _known.add(negator)
    return tokenizer


def crisis_words_in(text: str, words: list[str] | None = None) -> list[str]:
    """The lexicon words the text affirms (each once, in order of appearance)."""
    text = (text or "").strip()
    if not text:
        return []
    words = lexicon() if words is None else words
    # Cheap pre-check: most notes hold none of the words, and then jieba is not needed.
    present = [w for w in words if w in text]
    if not present:
        return []
    tokenizer = tokenizer_with(present)
    found: list[str] = []
    for clause in _CLAUSE.split(text):
        tokens = [t for t in tokenizer.lcut(clause) if t.strip()]
        for i, token in enumerate(tokens):
            word = next((w for w in present if w in token), None)
            if word is None or word in found:
                continue
            if not _negated(tokens, i):
                found.append(word)
    return found


def _negated(tokens: list[str], i: int) -> bool:
    j = i - 1
    while j >= 0 and tokens[j] in FILLERS:
        j -= 1
    if j < 0 or tokens[j] not in NEGATORS:
        return False
    # "不排除": the denial is denied. "否认" etc. directly after "不" likewise.
    return not (j >= 1 and tokens[j - 1] in DOUBLE_NEGATORS)
