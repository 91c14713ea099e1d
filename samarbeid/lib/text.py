"""Norwegian text similarity: normalisation, stop words, a light stemmer, TF-IDF and label matching;
and the items of a text typed one per line.

Standard library only, so it runs anywhere (workers, migrations, tests) without Django.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence

__all__ = [
    "NORWEGIAN_STOP_WORDS",
    "char_trigrams",
    "cosine",
    "label_similarity",
    "normalise",
    "one_per_line",
    "similarity_pairs",
    "stem",
    "tfidf_vectors",
    "tokens",
]

# Bokmål list (in the spirit of the Snowball list) plus the common nynorsk forms, since
# mandates and workshop notes are written in both.
_STOP_WORDS_TEXT = """
    og i jeg det at en et den til er som på de med han av ikke der så var meg seg men ett
    har om vi min mitt ha hadde hun nå over da ved fra du ut sin dem oss opp man kan hans
    hvor eller hva skal selv sjøl her alle vil bli ble blitt kunne inn når være kom noen noe
    ville dere deres kun ja etter ned skulle denne for deg si sine sitt mot å meget hvorfor
    dette disse uten hvordan ingen din ditt blir samme hvilken hvilke sånn inni mellom vår
    hver hvem vors hvis både bare enn fordi før mange også slik vært båe begge siden dykk
    dykkar dei deira deim di då eg ein eit eitt elles honom hjå ho hoe henne hennar hennes
    hoss hossen ingi inkje korleis korso kva kvar kvarhelst kven kvi kvifor me medan mi mine
    mykje no nokon noka nokor noko nokre sia sidan so somt somme um upp vere vore verte vort
    varte vart
"""
NORWEGIAN_STOP_WORDS: frozenset[str] = frozenset(_STOP_WORDS_TEXT.split())

# Anything that is neither a letter nor a digit separates words ("IKT-drift", "lønn/regnskap").
_SEPARATOR_RE = re.compile(r"[\W_]+")
# Letters only: digits ("2024", "fase 2") say little about what a text is about.
_WORD_RE = re.compile(r"[^\W\d_]+")


def normalise(text: str) -> str:
    # NFC first so a decomposed "å" (a + ring) compares equal to the precomposed one.
    text = unicodedata.normalize("NFC", text).lower()
    return " ".join(_SEPARATOR_RE.sub(" ", text).split())


# --- light stemmer ------------------------------------------------------------------------------
# A trimmed Snowball Norwegian stemmer: enough to fold "tjeneste/tjenester/tjenestene" and
# "kommune/kommunene" together without pulling in a dependency.

_VOWELS = frozenset("aeiouyæåø")
_STEP1_DELETE = (
    "hetenes hetene hetens heten heter endes edes enes ande ende ene ane ens ers "
    "ets het ast ede es as et en ar er a e"
)
# suffix -> what replaces it; "s" is special-cased. Longest match wins, so "hetene" beats "e".
_STEP1_RULES = sorted(
    [(suffix, "") for suffix in _STEP1_DELETE.split()] + [("erte", "er"), ("ert", "er"), ("s", "")],
    key=lambda rule: len(rule[0]),
    reverse=True,
)
_S_ENDING = frozenset("bcdfghjlmnoprtvyz")
_STEP3_SUFFIXES_TEXT = "leg eleg ig eig lig elig els lov elov slov hetslov"
_STEP3_SUFFIXES = tuple(sorted(_STEP3_SUFFIXES_TEXT.split(), key=len, reverse=True))


def _r1_start(word: str) -> int:
    for i in range(1, len(word)):
        if word[i] not in _VOWELS and word[i - 1] in _VOWELS:
            return max(i + 1, 3)
    return len(word)


def _valid_s_ending(before: str) -> bool:
    if not before:
        return False
    if before[-1] == "k":
        return len(before) >= 2 and before[-2] not in _VOWELS
    return before[-1] in _S_ENDING


def stem(word: str) -> str:
    r1 = _r1_start(word)
    region = word[r1:]
    for suffix, replacement in _STEP1_RULES:
        if not region.endswith(suffix):
            continue
        if suffix != "s":
            word = word[: -len(suffix)] + replacement
        elif _valid_s_ending(word[:-1]):
            word = word[:-1]
        break
    region = word[r1:]
    if region.endswith(("dt", "vt")):
        word = word[:-1]
        region = word[r1:]
    for suffix in _STEP3_SUFFIXES:
        if region.endswith(suffix):
            word = word[: -len(suffix)]
            break
    return word


# --- tokens and vectors ---------------------------------------------------------------------------


def tokens(text: str, *, stem_words: bool = False) -> list[str]:
    words = [w for w in _WORD_RE.findall(normalise(text)) if w not in NORWEGIAN_STOP_WORDS]
    return [stem(w) for w in words] if stem_words else words


def tfidf_vectors(docs: Sequence[str], *, stem_words: bool = False) -> list[dict[str, float]]:
    counts = [Counter(tokens(doc, stem_words=stem_words)) for doc in docs]
    n = len(counts)
    df: Counter[str] = Counter()
    for c in counts:
        df.update(c.keys())
    # Smoothed idf (as in scikit-learn): a term in every document still weighs 1, never 0,
    # so two texts sharing only a common term are still a little alike.
    idf = {term: math.log((1 + n) / (1 + d)) + 1.0 for term, d in df.items()}
    vectors: list[dict[str, float]] = []
    for c in counts:
        raw = {term: tf * idf[term] for term, tf in c.items()}
        norm = math.sqrt(math.fsum(w * w for w in raw.values()))
        vectors.append({t: w / norm for t, w in sorted(raw.items())} if norm else {})
    return vectors


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    dot = math.fsum(w * b[t] for t, w in a.items() if t in b)
    if dot == 0.0:
        return 0.0
    norm = math.sqrt(math.fsum(w * w for w in a.values()) * math.fsum(w * w for w in b.values()))
    # Rounding can push a self-comparison to 1.0000000000000002.
    return max(-1.0, min(1.0, dot / norm))


# --- short labels ---------------------------------------------------------------------------------


def char_trigrams(text: str) -> frozenset[str]:
    # Trigrams per word, padded, so word order does not matter ("regnskap lønn" ~ "lønn regnskap")
    # and word starts/ends count.
    words = tokens(text) or normalise(text).split()
    grams: set[str] = set()
    for word in words:
        padded = f" {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return frozenset(grams)


def _dice(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def label_similarity(a: str, b: str) -> float:
    if normalise(a) == normalise(b) != "":
        return 1.0
    # Labels have two or three words, so one shared word is a strong signal but not proof;
    # trigrams catch compounds and inflections ("bolig" in "boligbygging", "sykehjem/-et").
    token_score = _dice(
        frozenset(tokens(a, stem_words=True)), frozenset(tokens(b, stem_words=True))
    )
    trigram_score = _dice(char_trigrams(a), char_trigrams(b))
    return (token_score + trigram_score) / 2


def similarity_pairs(labels: Sequence[str], threshold: float) -> list[tuple[int, int, float]]:
    if not 0.0 <= threshold <= 1.0:
        raise ValueError(f"threshold must be between 0 and 1, got {threshold}")
    pairs: list[tuple[int, int, float]] = []
    for i in range(len(labels)):
        for j in range(i + 1, len(labels)):
            score = label_similarity(labels[i], labels[j])
            if score >= threshold:
                pairs.append((i, j, score))
    pairs.sort(key=lambda p: (-p[2], p[0], p[1]))
    return pairs


def one_per_line(text: str) -> list[str]:
    """The items of a text typed one per line (an alternative's pros and cons, a workshop
    question's alternatives): each line stripped, the empty ones left out."""
    return [line.strip() for line in text.splitlines() if line.strip()]
