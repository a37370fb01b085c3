"""Split text into sentences, keeping character offsets, without breaking at titles such as "dr." or "S.H."."""
from __future__ import annotations

import re
from dataclasses import dataclass

# A sentence ends at . ! ? (and a closing quote) before a space and an upper-case letter, a quote or a
# digit; not after an abbreviation or an initial ("dr. Christian", "M. Yulian", "S.K. Lerik").
# ("[.!?][.!?]*" rather than "[.!?]+", the same matches: the engine skips to a pattern's first characters only
# when it opens with a class, not with a repetition, which it tries at every character)
_END = re.compile(r"[.!?][.!?]*[\"”’)]?(?=\s+[\"“A-Z0-9(])")
_NO_BREAK_BEFORE = re.compile(
    r"(?:\b(?:dr|drg|Dr|DR|Prof|H|Hj|Ir|Drs|Dra|KH|St|No|Jl|Jln|Kec|Kab|Kel|Sp|apt|Ns|dll|dsb|dkk|Tbk|"
    r"Bpk|Yth|Pj|Plt|Pjs|Plh|a\.n|u\.p|[A-Z])\.)[)\"”’]?$")   # also "Penjabat (Pj.) Wali Kota"

# a degree written with dots ("S.H.", "Ph.D.") ends its sentence when a word that opens sentences and is no
# name follows ("..., Prof. dr. Rina, Ph.D. Adapun ..."); initials before a surname ("S.K. Lerik") do not
_DOTTED_DEGREE = re.compile(r"\b[A-Za-z]{1,3}\.(?:[A-Za-z]{1,3}\.)+[)\"”’]?$")
_OPENER_AFTER = re.compile(
    r"\s+(?:Adapun|Sementara|Sedangkan|Selain|Namun|Menurut|Dalam|Pada|Dengan|Untuk|Ia|Dia|Mereka|Kami|Kita|"
    r"Hal|Saat|Sejak|Hingga|Kemudian|Selanjutnya|Sebelumnya|Bahkan|Karena|Jika|Dari|Di|Ke|Ini|Itu|Acara|"
    r"Penandatanganan|Penyerahan|Kegiatan)\b")

_LINE = re.compile(r"[^\n]+")   # a line of the text: sentences never cross a line break

# what _NO_BREAK_BEFORE reads before a sentence end: longer than its longest match ("Prof.”", 6 characters) and
# the character before it, so reading this much finds what reading the paragraph up to there finds
_NO_BREAK_WINDOW = 16


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


def split_sentences(text: str) -> list[Sentence]:
    """Return the sentences of TEXT; a blank line or a line break always ends a sentence."""
    out: list[Sentence] = []
    for block in _LINE.finditer(text):
        start = block.start()
        chunk = block.group()
        cut = 0
        for m in _END.finditer(chunk):
            end = m.end()
            before = chunk[max(0, end - _NO_BREAK_WINDOW):end]
            if _NO_BREAK_BEFORE.search(before) and not (_DOTTED_DEGREE.search(before)
                                                        and _OPENER_AFTER.match(chunk, end)):
                continue
            piece = chunk[cut:end]
            if stripped := piece.strip():
                lead = len(piece) - len(piece.lstrip())
                out.append(Sentence(start + cut + lead, start + end, stripped))
            cut = end
        piece = chunk[cut:]
        if stripped := piece.strip():
            lead = len(piece) - len(piece.lstrip())
            out.append(Sentence(start + cut + lead, start + cut + lead + len(stripped), stripped))
    return out
