import math
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samarbeid.lib.text import (
    NORWEGIAN_STOP_WORDS,
    char_trigrams,
    cosine,
    label_similarity,
    normalise,
    similarity_pairs,
    stem,
    tfidf_vectors,
    tokens,
)

PROPERTY = settings(deadline=None, max_examples=150)
words = st.text(alphabet="abcdefghijklmnoprstuvyæøå", min_size=1, max_size=10)
texts = st.lists(words, max_size=8).map(" ".join)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  IKT-drift  ", "ikt drift"),
        ("Lønn og regnskap", "lønn og regnskap"),
        ("Regnskap/lønn", "regnskap lønn"),
        ("Areal, bolig,\tnæring!", "areal bolig næring"),
        ("ÆØÅ æøå", "æøå æøå"),
        ("Fase 2 (2024–2027)", "fase 2 2024 2027"),
        ("«Helse» & omsorg…", "helse omsorg"),
        ("", ""),
    ],
)
def test_normalise(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


def test_normalise_folds_decomposed_letters() -> None:
    decomposed = unicodedata.normalize("NFD", "Tjenestestøtte på Hå")
    assert decomposed != "Tjenestestøtte på Hå"
    assert normalise(decomposed) == "tjenestestøtte på hå"


def test_stop_words_cover_bokmal_and_nynorsk() -> None:
    assert {"og", "i", "på", "å", "ikke", "også", "eller", "kva", "korleis", "inkje"} <= (
        NORWEGIAN_STOP_WORDS
    )
    assert 150 <= len(NORWEGIAN_STOP_WORDS) <= 200
    assert all(w == normalise(w) for w in NORWEGIAN_STOP_WORDS)


def test_tokens_drop_stop_words_and_split_on_non_letters() -> None:
    assert tokens("Samarbeid om IKT-drift og lønn i kommunene") == [
        "samarbeid",
        "ikt",
        "drift",
        "lønn",
        "kommunene",
    ]
    assert tokens("Fase2: 2024") == ["fase"]
    assert tokens("og i på å det") == []


def test_tokens_can_stem() -> None:
    assert tokens("tjenester tjenestene kommunene", stem_words=True) == [
        "tjenest",
        "tjenest",
        "kommun",
    ]


@pytest.mark.parametrize(
    ("inflected", "base"),
    [
        ("tjenester", "tjeneste"),
        ("tjenestene", "tjeneste"),
        ("kommunene", "kommune"),
        ("kommunens", "kommune"),
        ("barnehager", "barnehage"),
        ("skolene", "skolen"),
        ("digitale", "digital"),
        ("samarbeidet", "samarbeid"),
        ("rapporterte", "rapportert"),  # "erte"/"ert" -> "er", longest suffix first
        ("kostnads", "kostnad"),  # genitive s after a valid s-ending
    ],
)
def test_stem_folds_inflections(inflected: str, base: str) -> None:
    assert stem(inflected) == stem(base)


def test_stem_leaves_short_words() -> None:
    assert stem("ikt") == "ikt"
    assert stem("lønn") == "lønn"


def test_tfidf_is_l2_normalised_and_uses_smoothed_idf() -> None:
    vectors = tfidf_vectors(["barnevern barnevern", "barnevern legevakt", ""])
    assert vectors[2] == {}
    for vector in vectors[:2]:
        assert math.isclose(math.fsum(w * w for w in vector.values()), 1.0)
    # Only one document: every term weighs the same, so the single term gets all the weight.
    assert tfidf_vectors(["barnevern"]) == [{"barnevern": 1.0}]
    # n=3 documents; "barnevern" in 2 -> idf ln(4/3)+1, "legevakt" in 1 -> idf ln(4/2)+1.
    idf_common, idf_rare = math.log(4 / 3) + 1, math.log(2) + 1
    norm = math.hypot(idf_common, idf_rare)
    assert math.isclose(vectors[1]["barnevern"], idf_common / norm)
    assert math.isclose(vectors[1]["legevakt"], idf_rare / norm)


def test_tfidf_ignores_stop_words() -> None:
    assert tfidf_vectors(["og i på", "det er som"]) == [{}, {}]


def test_cosine() -> None:
    assert cosine({}, {"a": 1.0}) == 0.0
    assert cosine({"a": 1.0}, {"b": 1.0}) == 0.0
    assert math.isclose(cosine({"a": 1.0, "b": 1.0}, {"a": 2.0}), 1 / math.sqrt(2))
    assert cosine({"a": 3.0}, {"a": -1.0}) == -1.0


@PROPERTY
@given(st.lists(texts, min_size=1, max_size=5))
def test_tfidf_cosine_is_bounded_and_self_similar(docs: list[str]) -> None:
    vectors = tfidf_vectors(docs)
    for v in vectors:
        assert math.isclose(cosine(v, v), 1.0) if v else cosine(v, v) == 0.0
        for w in vectors:
            assert 0.0 <= cosine(v, w) <= 1.0
            assert cosine(v, w) == cosine(w, v)


def test_char_trigrams_ignore_word_order_and_stop_words() -> None:
    assert char_trigrams("Lønn og regnskap") == char_trigrams("Regnskap/lønn")
    assert char_trigrams("IKT") == frozenset({" ik", "ikt", "kt "})
    # All stop words: fall back to the words themselves rather than nothing.
    assert char_trigrams("og") == frozenset({" og", "og "})


def test_label_similarity_examples() -> None:
    assert label_similarity("Lønn og regnskap", "Regnskap/lønn") == 1.0
    assert label_similarity("IKT-drift", "ikt drift") == 1.0
    assert label_similarity("IKT-drift", "felles IKT") > 0.4
    assert label_similarity("Korttidsopphold sykehjem", "Korttidsopphold på sykehjemmet") > 0.6
    assert label_similarity("Digital kompetanse i skolen", "Korttidsopphold sykehjem") < 0.1
    assert label_similarity("IKT-drift", "Barnevern") == 0.0
    # Blank labels are not duplicates of each other.
    assert label_similarity("", " - ") == 0.0


LABELS = [
    "IKT-drift",  # 0
    "Barnevern",  # 1
    "Lønn og regnskap",  # 2
    "felles IKT",  # 3
    "Regnskap/lønn",  # 4
    "Digital kompetanse i skolen",  # 5
    "Korttidsopphold sykehjem",  # 6
    "Korttidsopphold på sykehjemmet",  # 7
]


def test_similarity_pairs_suggests_workshop_duplicates() -> None:
    pairs = similarity_pairs(LABELS, 0.35)
    assert [(i, j) for i, j, _ in pairs] == [(2, 4), (6, 7), (0, 3)]
    assert pairs[0][2] == 1.0
    assert [p[2] for p in pairs] == sorted((p[2] for p in pairs), reverse=True)


def test_similarity_pairs_threshold_bounds() -> None:
    everything = similarity_pairs(LABELS, 0.0)
    assert len(everything) == len(LABELS) * (len(LABELS) - 1) // 2
    assert similarity_pairs(LABELS, 1.0) == [(2, 4, 1.0)]
    assert similarity_pairs([], 0.5) == []
    with pytest.raises(ValueError, match="threshold"):
        similarity_pairs(LABELS, 1.5)


@PROPERTY
@given(st.lists(texts, max_size=6), st.floats(min_value=0.0, max_value=1.0))
def test_similarity_pairs_properties(labels: list[str], threshold: float) -> None:
    pairs = similarity_pairs(labels, threshold)
    keys = [(-score, i, j) for i, j, score in pairs]
    assert keys == sorted(keys)
    for i, j, score in pairs:
        assert 0 <= i < j < len(labels)
        assert threshold <= score <= 1.0
        assert score == label_similarity(labels[j], labels[i])
