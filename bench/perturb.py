"""Synthetic divergences for the benchmark: change the English side of a gold-aligned document
in one place and say which flag the aligner should raise, and where.

Every perturbation is a pure function of the document and a seeded `random.Random`; it returns
a `Perturbation` (the new target lines, where each came from, the expected location) or None
when the document has no suitable place. Only the target side changes, so the Arabic source
lines keep their indices; `Perturbation.origin` maps the new target lines back to the old.
"""

from __future__ import annotations

import itertools
import random
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from align.evaluating import Document
from align.numerals import extract_numbers

# Flag categories that count as detecting each kind of perturbation.
EXPECTED: dict[str, tuple[str, ...]] = {
    "delete_sentence": ("omission",),
    "delete_clause": ("omission",),
    "insert_sentence": ("addition",),
    "insert_phrase": ("addition",),
    "change_number": ("number_mismatch",),
    "negate": ("meaning_shift",),
    "swap_entity": ("name_mismatch", "meaning_shift"),
    "replace_sentence": ("meaning_shift",),
}

# Interpolations a translator might add: inserted after a word, inside a sentence.
PHRASES = (
    ", which at the time was a matter of fierce debate among scholars,",
    " (a reference to the events of the previous year)",
    ", as the older commentators were careful to point out,",
    " (the word used here also means a covenant or a binding promise)",
    ", according to a tradition reported by several early authorities,",
    " (this is how most of the ancient manuscripts read the passage)",
    ", a point on which the two main schools of law never agreed,",
    " (literally: those who walk upon the earth in humility)",
    ", in the sense that the word had among the desert tribes of that age,",
    " (compare the similar account given in the previous chapter)",
    ", so the translator believes after long reflection,",
    " (the place is traditionally identified with a valley near the coast)",
    ", as any reader familiar with the history of the period will know,",
    " (an idiom of the time for showing great respect to a guest)",
    ", which later generations came to understand in quite another way,",
)

_DETERMINERS = frozenset(
    ("a", "an", "the", "his", "her", "its", "their", "thy", "my", "our", "your", "this", "that")
)
_FUNCTION_WORDS = frozenset(
    (
        *("and", "but", "or", "nor", "for", "that", "which", "who", "whom", "when", "where"),
        *("as", "if", "than", "to", "in", "on", "of", "at", "by", "with", "from", "unto", "upon"),
        *("into", "without", "before", "after", "until", "is", "are", "was", "were", "shall"),
        *("will", "may", "has", "have", "had", "should", "would", "the", "a", "an", "his"),
    )
)
_NOT_NAMES = frozenset({"I", "O", "God", "Allah", "Lord"})
_AUXILIARY = re.compile(
    r"\b(?:is|are|was|were|shall|will|can|may|has|have|had|do|does|did|should|would|must)\b(?=\s)",
    re.IGNORECASE,
)
_NAME = re.compile(r"\b[A-Z][a-z]+(?:'[a-z]{2,})?\b")
_WORD = re.compile(r"\S+")
_QUOTE = re.compile(r"[\"“”‘]|(?:^|\s)'|'(?:\s|$)|[,.!?]'")
_UNITS = (
    *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"),
    *("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen"),
    *("eighteen", "nineteen"),
)
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_NUMBER_WORDS = frozenset([*_UNITS, *_TENS, "hundred", "thousand", "million", "a", "an", "and"])

_Edit = tuple[str, str, str]  # a changed line, the text taken out, the text put in


@dataclass(frozen=True)
class Perturbation:
    """A perturbed target side and where the aligner should flag the change.

    `origin[j]` is the original target line of new line j (None for an inserted line; a
    changed line keeps its slot). `side` is "tgt" when the expected flag is on the bead
    holding new target line `line`, or "src" (deleted sentence) when it is on the bead
    holding source line `line`, the one left without a counterpart. `before` and `after`
    are the text taken out and put in, for reading the results.
    """

    kind: str
    tgt: tuple[str, ...]
    origin: tuple[int | None, ...]
    side: str
    line: int
    before: str
    after: str

    @property
    def expected(self) -> tuple[str, ...]:
        """Flag categories that count as detecting this perturbation."""
        return EXPECTED[self.kind]


def delete_sentence(doc: Document, rng: random.Random) -> Perturbation | None:
    """Remove the target sentence of a 1-1 gold bead: its source line becomes an omission."""
    pairs = _one_to_one(doc)
    if not pairs or len(doc.tgt) < 2:
        return None
    s, t = rng.choice(pairs)
    kept = [j for j in range(len(doc.tgt)) if j != t]
    return Perturbation(
        "delete_sentence",
        tuple(doc.tgt[j] for j in kept),
        tuple(kept),
        "src",
        s,
        doc.tgt[t],
        "",
    )


def delete_clause(doc: Document, rng: random.Random) -> Perturbation | None:
    """Cut a clause of >= 4 words out of a target sentence of >= 12 words (a partial omission)."""
    return _edit_line(doc, rng, "delete_clause", _clause_cuts)


def insert_sentence(
    doc: Document, rng: random.Random, foreign: Sequence[str]
) -> Perturbation | None:
    """Insert a sentence of another text between two gold beads (an addition)."""
    starts = sorted({min(tgt) for src, tgt in doc.gold if tgt} - {0})
    if not starts or not foreign:
        return None
    at = rng.choice(starts)
    sentence = rng.choice(list(foreign))
    origin = [*range(at), None, *range(at, len(doc.tgt))]
    lines = [*doc.tgt[:at], sentence, *doc.tgt[at:]]
    return Perturbation("insert_sentence", tuple(lines), tuple(origin), "tgt", at, "", sentence)


def insert_phrase(doc: Document, rng: random.Random) -> Perturbation | None:
    """Put a translator's interpolation inside a target sentence of >= 8 words (a partial
    addition), where a phrase ends: after a content word that a function word follows."""

    def options(text: str) -> list[_Edit]:
        words = list(_WORD.finditer(text))
        if len(words) < 8:
            return []
        gaps = [
            w.end()
            for w, after in itertools.pairwise(words[1:-1])
            if w.group()[-1].isalpha()
            and w.group().lower() not in _FUNCTION_WORDS
            and after.group().lower() in _FUNCTION_WORDS
            and text[: w.end()].count("(") == text[: w.end()].count(")")
        ]
        return [(text[:end] + p + text[end:], "", p.strip(" ,()")) for end in gaps for p in PHRASES]

    return _edit_line(doc, rng, "insert_phrase", options)


def change_number(doc: Document, rng: random.Random) -> Perturbation | None:
    """Change a number of a target sentence (digits, or words from "three" up) to another
    value written the same way."""

    def options(text: str) -> list[_Edit]:
        found = []
        for quantity in extract_numbers(text, "en"):
            old = text[quantity.start : quantity.end]
            new = _other_number(old, quantity.value, quantity.exact, rng)
            if new is None:
                continue
            changed = text[: quantity.start] + new + text[quantity.end :]
            expected = _values(text)
            expected.remove(quantity.value)
            if _values(changed) == sorted([*expected, _values(new)[0]]):
                found.append((changed, old, new))
        return found

    return _edit_line(doc, rng, "change_number", options)


def negate(doc: Document, rng: random.Random) -> Perturbation | None:
    """Negate a target sentence: "not" after its first auxiliary, or an existing "not" or "no"
    taken out."""
    return _edit_line(doc, rng, "negate", _negations)


def swap_entity(doc: Document, rng: random.Random, names: Sequence[str]) -> Perturbation | None:
    """Replace a proper name of a target sentence (every occurrence of it there) with another
    name of the same corpus that the sentence does not contain."""
    pool = sorted(set(names))

    def options(text: str) -> list[_Edit]:
        present = {m.group() for m in _NAME.finditer(text)}
        others = [n for n in pool if n not in present]
        found = []
        for name in sorted({m.group() for m in _NAME.finditer(text) if not _initial(text, m)}):
            if name in pool and others:
                new = rng.choice(others)
                found.append((re.sub(rf"\b{re.escape(name)}\b", new, text), name, new))
        return found

    return _edit_line(doc, rng, "swap_entity", options)


def replace_sentence(
    doc: Document, rng: random.Random, others: Sequence[str] = ()
) -> Perturbation | None:
    """Replace the target sentence of a 1-1 gold bead with another target sentence of the same
    document, at least 5 lines away and not the same text; in a document too short for that
    (a UDHR article), a sentence of 6 words or more of `others` (the corpus's other
    documents) replaces one of 6 words or more."""
    choices = [
        (t, u)
        for _, t in _one_to_one(doc)
        for u in range(len(doc.tgt))
        if abs(u - t) >= 5 and _plain(doc.tgt[u]) != _plain(doc.tgt[t])
    ]
    lines = list(doc.tgt)
    if choices:
        t = rng.choice(sorted({t for t, _ in choices}))
        new = doc.tgt[rng.choice([u for line, u in choices if line == t])]
    else:
        long = [t for _, t in _one_to_one(doc) if len(doc.tgt[t].split()) >= 6]
        pool = sorted({x for x in others if len(x.split()) >= 6} - set(doc.tgt))
        if not long or not pool:
            return None
        t, new = rng.choice(long), rng.choice(pool)
    lines[t] = new
    return Perturbation(
        "replace_sentence", tuple(lines), tuple(range(len(lines))), "tgt", t, doc.tgt[t], new
    )


def proper_names(lines: Sequence[str], min_count: int = 3) -> list[str]:
    """Capitalised words of a corpus that look like names: seen at least `min_count` times
    inside a sentence (not at its start), never written in lower case, and not "I", "O", "God",
    "Allah", "Lord". The count keeps out one-off capitalised epithets and exclamations."""
    lower = {w for line in lines for w in re.findall(r"\b[a-z][a-z']*\b", line)}
    counts = Counter(
        m.group()
        for line in lines
        for m in _NAME.finditer(line)
        if not _initial(line, m) and m.group().lower() not in lower
    )
    return sorted(name for name, n in counts.items() if n >= min_count and name not in _NOT_NAMES)


# --- helpers ---


def _one_to_one(doc: Document) -> list[tuple[int, int]]:
    """(source line, target line) of every 1-1 gold bead."""
    return [(src[0], tgt[0]) for src, tgt in doc.gold if len(src) == 1 and len(tgt) == 1]


def _edit_line(
    doc: Document, rng: random.Random, kind: str, options: Callable[[str], list[_Edit]]
) -> Perturbation | None:
    """Change one target line in place: pick a line that `options(text)` can change, then one of
    its (new text, before, after) options."""
    aligned = sorted({t for src, tgt in doc.gold if src for t in tgt})
    edits = {t: found for t in aligned if (found := options(doc.tgt[t]))}
    if not edits:
        return None
    t = rng.choice(sorted(edits))
    text, before, after = rng.choice(edits[t])
    lines = list(doc.tgt)
    lines[t] = text
    return Perturbation(kind, tuple(lines), tuple(range(len(lines))), "tgt", t, before, after)


def _clause_cuts(text: str) -> list[_Edit]:
    """Sentences left when one clause is cut: a run of >= 4 words between two commas or
    semicolons, or a trailing ", and ..." part; at most half the words, brackets balanced, no
    quotation mark (a cut across a quotation garbles the sentence)."""
    total = len(text.split())
    if total < 12:
        return []
    marks = [m.start() for m in re.finditer(r"[,;](?=\s)", text)]
    content_end = len(text.rstrip().rstrip("\"'”’.!?,;:-"))
    spans = list(itertools.pairwise(marks))
    if marks and text[marks[-1] + 1 :].lstrip().startswith("and "):
        spans.append((marks[-1], content_end))
    cuts = []
    for start, end in spans:
        clause = text[start + 1 : end]
        words = len(clause.split())
        balanced = clause.count("(") == clause.count(")")
        if 4 <= words <= total / 2 and balanced and not _QUOTE.search(clause):
            cuts.append((text[:start] + text[end:], clause.strip(), ""))
    return cuts


def _negations(text: str) -> list[_Edit]:
    """Negated versions of a sentence: the first "not"/"no"/"cannot" taken out, and "not" put
    after the first auxiliary unless a negation already follows it."""
    found = []
    removal = re.search(r"\bnot\b(?!')|\bcannot\b|\bno(?=\s+[a-z])", text, re.IGNORECASE)
    if removal:
        word, start, end = removal.group(), removal.start(), removal.end()
        no_one = re.match(r"\s+one\b", text[end:])
        if word.lower() == "cannot":
            new = text[:start] + word[:3] + text[end:]
        elif word.lower() == "no" and no_one:
            new = (
                text[:start]
                + ("E" if word[0] == "N" else "e")
                + "veryone"
                + text[end:][no_one.end() :]
            )
        elif start == 0:
            rest = text[end:].lstrip()
            new = rest[:1].upper() + rest[1:]
        else:
            new = text[: start - 1 if text[start - 1] == " " else start] + text[end:]
        found.append((new, word, ""))
    for aux in _AUXILIARY.finditer(text):
        previous = text[: aux.start()].split()
        if previous and previous[-1].lower() in _DETERMINERS:
            continue
        at = aux.end()
        subject = re.match(r"\s+(?:I|we|ye|you|thou|he|she|it|they)\b", text[at:], re.IGNORECASE)
        if subject:  # a question: "will ye deny" becomes "will ye not deny"
            at += subject.end()
        following = text[at:].split()
        if following and following[0].lower() in {"and", "or", "of"}:
            continue  # a noun: "courageous will and resolution"
        if not following or following[0].lower().strip(",;:") in {"not", "no", "never"}:
            break
        found.append((text[:at] + " not" + text[at:], "", "not"))
        break
    return found


def _initial(text: str, match: re.Match[str]) -> bool:
    """Whether a word starts its line, a sentence or a quotation inside it, or is joined to the
    word before it by a hyphen ("Ha-Mim")."""
    before = text[: match.start()].rstrip(" \"'“‘(")
    return not before or before[-1] in ".!?:;" or text[match.start() - 1] == "-"


def _other_number(old: str, value: float, exact: bool, rng: random.Random) -> str | None:
    """Another value written the same way as `old` (plain digits, digits with thousands commas,
    or English words from "three" up), or None for anything else."""
    if not exact or value != int(value):
        return None
    value = int(value)
    if re.fullmatch(r"[0-9]+", old):
        low = 10 ** (len(old) - 1) if len(old) > 1 else 1
        return str(_different(rng, range(low, 10 * max(low, 1)), value))
    if re.fullmatch(r"[1-9][0-9]{0,2}(?:,[0-9]{3})+", old):
        digits = len(old.replace(",", ""))
        return f"{_different(rng, range(10 ** (digits - 1), 10**digits), value):,}"
    words = re.split(r"[\s-]+", old.lower())
    if value < 3 or value >= 10_000 or not set(words) <= _NUMBER_WORDS:
        return None
    if value < 20:
        choices = range(3, 20)
    elif value < 100:
        choices = range(20, 100, 10)
    elif value < 1000:
        choices = range(100, 1000, 100)
    else:
        choices = range(1000, 10_000, 1000)
    new = _words(_different(rng, choices, value))
    return new.capitalize() if old[0].isupper() else new


def _different(rng: random.Random, choices: range, value: int) -> int:
    """A random member of `choices` other than `value`."""
    while (picked := rng.choice(choices)) == value:
        pass
    return picked


def _words(n: int) -> str:
    """English words for 0 <= n < 10,000 ("two thousand three hundred and five")."""
    parts = []
    if n >= 1000:
        parts.append(f"{_UNITS[n // 1000]} thousand")
        n %= 1000
    if n >= 100:
        parts.append(f"{_UNITS[n // 100]} hundred")
        n %= 100
    if n:
        tens = (
            _UNITS[n] if n < 20 else _TENS[n // 10 - 2] + (f"-{_UNITS[n % 10]}" if n % 10 else "")
        )
        parts.append(f"and {tens}" if parts else tens)
    return " ".join(parts) or "zero"


def _values(text: str) -> list[float]:
    return sorted(q.value for q in extract_numbers(text, "en"))


def _plain(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))
