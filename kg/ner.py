"""A statistical person tagger for general Indonesian text: a CRF (python-crfsuite) trained on the NERGrit
train and valid splits (kg/data/nergrit/, IndoNLU version; see its NOTICE.txt), with features that use
the project's lexicons (titles, offices, places).

The model is trained on first use and cached under ~/.cache/kabar-kg/ (or $KABAR_KG_CACHE); training is
deterministic, so the same data and features give the same model. `python -m kg.ner` trains it and
reports PERSON span precision, recall and F1 on the NERGrit test split.
"""
from __future__ import annotations

import hashlib
import os
import re
import sys
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

from .caches import project_cache_dir
from .lexicon import Lexicon, load_lexicon

FEATURES_VERSION = "13"
DATA = Path(str(resources.files("kg") / "data" / "nergrit"))
# NERP (news, lower-cased; kg/data/nerp/NOTICE.txt) gives word lists, never training sentences
NERP = Path(str(resources.files("kg") / "data" / "nerp" / "train_preprocess.txt"))
CRF_PARAMS = {"c1": 0.05, "c2": 0.05, "max_iterations": 300, "feature.possible_transitions": True}
SENTENCE_END = {".", "!", "?", '"', "“"}
TOKEN = re.compile(r"\w+(?:[.'’-]\w+)*\.?|[^\w\s]")


def read_conll(path: Path) -> list[list[tuple[str, str]]]:
    """Sentences of (token, IOB2 tag) pairs from a token<TAB>tag file with blank lines between sentences."""
    sentences, current = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if current:
                sentences.append(current)
                current = []
            continue
        token, _, tag = line.partition("\t")
        current.append((token, tag.strip() or "O"))
    if current:
        sentences.append(current)
    return sentences


def spans(tags: list[str], label: str = "PERSON") -> set[tuple[int, int]]:
    """(start, end) token spans of LABEL in IOB2 TAGS (an I- that does not continue a span opens one)."""
    out, start = set(), None
    for i, tag in enumerate(tags + ["O"]):
        inside = tag in (f"B-{label}", f"I-{label}")
        if start is not None and (not inside or tag == f"B-{label}"):
            out.add((start, i))
            start = None
        if inside and start is None:
            start = i
    return out


@cache
def _nerp_lists() -> dict[str, frozenset[str]]:
    """Words that NERP tags mostly as a person, place or organisation (and rarely as O); counted once and kept in
    the cache directory beside the model (a build that tags a few words does not read the whole corpus)."""
    import json
    data = NERP.read_bytes()
    cached = project_cache_dir() / f"nerp-lists-{hashlib.sha256(data).hexdigest()[:16]}.json"
    try:
        return {k: frozenset(v) for k, v in json.loads(cached.read_text(encoding="utf-8")).items()}
    except (OSError, ValueError, AttributeError):
        pass
    out = _count_nerp_lists()
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(f".{os.getpid()}.part")
        tmp.write_text(json.dumps({k: sorted(v) for k, v in out.items()}), encoding="utf-8")
        os.replace(tmp, cached)
    except OSError:
        pass   # an unwritable cache only costs the counting again
    return out


def _count_nerp_lists() -> dict[str, frozenset[str]]:
    counts: dict[str, dict[str, int]] = {}
    for sentence in read_conll(NERP):
        for token, tag in sentence:
            kind = tag[2:] if tag != "O" else "O"
            counts.setdefault(token.lower(), {}).setdefault(kind, 0)
            counts[token.lower()][kind] += 1
    out: dict[str, set[str]] = {}
    for word, c in counts.items():
        total = sum(c.values())
        if len(word) <= 2:
            continue
        for kind in ("PPL", "PLC", "IND"):
            share = c.get(kind, 0) / total
            for cut in (0.25, 0.6, 0.9):   # graded: how often NERP tags the word so
                if share >= cut:
                    out.setdefault(f"nerp_{kind.lower()}_{int(cut * 100)}", set()).add(word)
    return {k: frozenset(v) for k, v in out.items()}


@cache
def _word_sets(lexicon: Lexicon) -> dict[str, frozenset[str]]:
    office_words = {w.lower() for o in lexicon.offices for w in o.form.split()}
    office_words |= {w.lower() for m in lexicon.office_modifiers for w in m.split()}
    places = {w.lower() for r in lexicon.regencies.values() for w in r.name.split()}
    places |= {w.lower() for p in lexicon.provinces.values() for w in p.label.split()}
    titles = {t.rstrip(".").lower() for t in lexicon.prefix_titles | lexicon.suffix_titles}
    speech = {w.lower() for w in lexicon.speech_after | lexicon.speech_before}
    heads = {w.lower() for h in lexicon.agency_heads for w in h.split()}
    blockers = {w.lower() for w in lexicon.place_blockers}
    return {"office": frozenset(office_words), "place": frozenset(places), "title": frozenset(titles),
            "speech": frozenset(speech), "head": frozenset(heads), "blocker": frozenset(blockers),
            **_nerp_lists()}


@cache
def _memberships(lexicon: Lexicon) -> dict[str, tuple[str, ...]]:
    """Word -> the names of the _word_sets holding it, in their order: one look-up per token, not one per set."""
    out: dict[str, list[str]] = {}
    for name, words in _word_sets(lexicon).items():
        for w in words:
            out.setdefault(w, []).append(name)
    return {w: tuple(names) for w, names in out.items()}


_SHAPE = str.maketrans({**{c: "X" for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"}, **{c: "x" for c in "abcdefghijklmnopqrstuvwxyz"},
                        **{c: "d" for c in "0123456789"}})


@cache
def _shape(w: str) -> str:
    return re.sub(r"(.)\1+", r"\1\1", w.translate(_SHAPE))


def sentence_features(tokens: list[str], lexicon: Lexicon) -> list[list[str]]:
    """The CRF features of every token: the word and its prefixes, suffixes, shape and word lists, its place,
    the bigrams, and the words two places either side (tests.helpers.token_features builds them token by
    token). The features a token gives of itself, and those it gives as a neighbour, are made once per word
    (_own_features, _neighbour_features) and shared by every sentence holding it."""
    lower = [t.lower() for t in tokens]
    out = []
    n = len(tokens)
    for i, w in enumerate(tokens):
        lw = lower[i]
        up = w[:1].isupper()
        own, member = _own_features(w, lexicon)
        f = [*own, f"first={i == 0}", f"title_inside={up and i > 0 and tokens[i - 1] not in SENTENCE_END}"]
        if i > 0:
            f.append(f"bigram={lower[i - 1]}|{lw}")
        if i + 1 < n:
            f.append(f"bigram+={lw}|{lower[i + 1]}")
        f += member
        for d in (-2, -1, 1, 2):
            j = i + d
            if 0 <= j < n:
                f += _neighbour_features(d, tokens[j], lexicon)
            else:
                f.append(f"{d}:edge")
        out.append(f)
    return out


@lru_cache(maxsize=1 << 15)
def _own_features(w: str, lexicon: Lexicon) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The features word W gives of itself in sentence_features' order: those before "first", and its word lists'."""
    lw = w.lower()
    up = w[:1].isupper()
    own = ("bias", f"w={lw}", f"s2={lw[-2:]}", f"s3={lw[-3:]}", f"s4={lw[-4:]}", f"p2={lw[:2]}", f"p3={lw[:3]}",
           f"p4={lw[:4]}", f"s5={lw[-5:]}", f"shape={_shape(w)}", f"title={up}", f"upper={w.isupper()}",
           f"digit={w.isdigit()}", f"len={min(len(w), 8)}")
    member = tuple(x for name in _memberships(lexicon).get(lw.rstrip("."), ()) for x in (f"in_{name}", f"in_{name}&title={up}"))
    return own, member


@lru_cache(maxsize=1 << 15)
def _neighbour_features(d: int, w: str, lexicon: Lexicon) -> tuple[str, ...]:
    """The features word W gives the token D places from it."""
    lw = w.lower()
    return (f"{d}:w={lw}", f"{d}:title={w[:1].isupper()}",
            *(f"{d}:in_{name}" for name in _memberships(lexicon).get(lw.rstrip("."), ())))


def _fingerprint(files: list[Path]) -> str:
    h = hashlib.sha256((FEATURES_VERSION + repr(sorted(CRF_PARAMS.items()))).encode())
    for p in files:
        h.update(p.read_bytes())
    h.update(NERP.read_bytes())
    for name in ("place_blockers.txt", "titles.txt", "positions.tsv", "office_modifiers.tsv", "speech_verbs.txt", "agency_heads.tsv"):
        h.update((Path(str(resources.files("kg") / "lexicons")) / name).read_bytes())
    return h.hexdigest()[:16]


def train(files: list[Path], model: Path, lexicon: Lexicon) -> Path:
    """Train the CRF on the sentences in FILES and write it to MODEL (atomically)."""
    import pycrfsuite
    trainer = pycrfsuite.Trainer(verbose=False)
    for sentence in (s for f in files for s in read_conll(f)):
        tokens = [t for t, _ in sentence]
        tags = [tag for _, tag in sentence]   # all types: telling places and bodies apart helps persons
        trainer.append(sentence_features(tokens, lexicon), tags)
    trainer.set_params(CRF_PARAMS)
    model.parent.mkdir(parents=True, exist_ok=True)
    tmp = model.with_suffix(f".{os.getpid()}.part")
    trainer.train(str(tmp))
    os.replace(tmp, model)
    return model


@cache
def person_tagger(lexicon: Lexicon | None = None):
    """The trained CRF tagger (trained on NERGrit train+valid on first use, then read from the cache)."""
    import pycrfsuite
    lexicon = lexicon or load_lexicon()
    files = [DATA / "train_preprocess.txt", DATA / "valid_preprocess.txt"]
    model = project_cache_dir() / f"person-crf-{_fingerprint(files)}.crfsuite"
    if not model.exists():
        train(files, model, lexicon)
    tagger = pycrfsuite.Tagger()
    tagger.open(str(model))
    return tagger


def tag_tokens(tokens: list[str], lexicon: Lexicon | None = None) -> list[str]:
    """IOB2 PERSON tags for TOKENS."""
    lexicon = lexicon or load_lexicon()
    if not tokens:
        return []
    return person_tagger(lexicon).tag(sentence_features(tokens, lexicon))


def find_person_spans(text: str, lexicon: Lexicon | None = None) -> list[tuple[int, int]]:
    """Character spans of personal names in TEXT, as the tagger reads them."""
    lexicon = lexicon or load_lexicon()
    toks = list(TOKEN.finditer(text))
    tags = tag_tokens([t.group() for t in toks], lexicon)
    return sorted((toks[s].start(), toks[e - 1].end()) for s, e in spans(list(tags)))


def evaluate(test: Path | None = None, lexicon: Lexicon | None = None) -> dict[str, float]:
    """PERSON span precision, recall and F1 of the tagger on the NERGrit test split."""
    lexicon = lexicon or load_lexicon()
    tp = fp = fn = 0
    for sentence in read_conll(test or DATA / "test_preprocess.txt"):
        tokens = [t for t, _ in sentence]
        gold = spans([tag for _, tag in sentence])
        pred = spans(list(tag_tokens(tokens, lexicon)))
        tp += len(gold & pred)
        fp += len(pred - gold)
        fn += len(gold - pred)
    return _scores(tp, fp, fn)


def evaluate_valid(lexicon: Lexicon | None = None) -> dict[str, float]:
    """PERSON span scores on the valid split of a tagger trained on the train split only: a check that a
    change helps beyond the test split."""
    import tempfile
    import pycrfsuite
    lexicon = lexicon or load_lexicon()
    with tempfile.TemporaryDirectory(prefix="kg-ner-") as tmp:
        model = train([DATA / "train_preprocess.txt"], Path(tmp) / "train-only.crfsuite", lexicon)
        tagger = pycrfsuite.Tagger()
        tagger.open(str(model))
        tp = fp = fn = 0
        for sentence in read_conll(DATA / "valid_preprocess.txt"):
            tokens = [t for t, _ in sentence]
            gold = spans([tag for _, tag in sentence])
            pred = spans(list(tagger.tag(sentence_features(tokens, lexicon))))
            tp, fp, fn = tp + len(gold & pred), fp + len(pred - gold), fn + len(gold - pred)
    return _scores(tp, fp, fn)


def _scores(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4)}


def _line(result: dict[str, float]) -> str:
    return (f"tp {result['tp']}  fp {result['fp']}  fn {result['fn']}  precision {result['precision']:.3f}  "
            f"recall {result['recall']:.3f}  F1 {result['f1']:.3f}")


def main() -> int:
    print("NERGrit PERSON spans (exact match)")
    print("test split, tagger trained on train+valid:  " + _line(evaluate()))
    print("valid split, tagger trained on train only:  " + _line(evaluate_valid()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
