"""Input sanity: documents that are not Japanese, and documents too long to analyse as one.

>>> round(japanese_share("政府はAI規制を強化した。"), 2)
0.83
>>> language_problem("The government tightened export controls.")
'not Japanese: 0% of letters are kana/kanji (need 20%); pass --allow-other-languages to keep it'
>>> split_text("一つ目の段落。\\n二つ目の段落。\\n三つ目。", max_chars=16)
['一つ目の段落。\\n二つ目の段落。', '三つ目。']
>>> split_text("長い文です。次の文です。", max_chars=8)
['長い文です。', '次の文です。']

Both checks look at a parsed document and work the same for pages,
table rows and livedoor articles (:func:`check_outcomes`, run by :func:`analysis.ingest.collect`):

* **Language.** :func:`japanese_share` is the share of Japanese script (hiragana, katakana, CJK
  ideographs, 々〆) among the letters of the title and body (``str.isalpha``: digits, punctuation and
  spaces do not count, Latin letters and Hangul do). Below ``JAPANESE_SHARE_MIN`` the document
  is rejected, unless ``allow_other_languages=True`` (``--allow-other-languages``), which keeps
  it with a note in the report. Chinese text passes (it is all ideographs); the check is meant
  to catch English or Korean pages and tables saved by mistake, not to identify languages.
* **Size.** A text longer than ``max_chars`` (default ``MAX_DOCUMENT_CHARS``) is split into parts
  of at most ``max_chars`` characters (:func:`split_text`: whole paragraphs where possible, a
  longer paragraph at sentence ends 。！？, a longer sentence hard at the limit). The parts are
  reported as ``path#part=K`` with their own doc ids, and their titles end in `` (K/N)``. With
  ``oversize="reject"`` (``--oversize reject``) the document is rejected instead. Either way a
  warning naming the file goes to stderr.
"""

from __future__ import annotations

import re
import sys
from dataclasses import replace
from typing import Callable

from analysis.errors import InputError
from analysis.ingest.schema import Outcome

#: A document (title and body) whose letters are less than this share Japanese script is not a
#: Japanese article. Measured on every document the ingest kept before this check existed:
#: livedoor (7,359 distinct articles of 7,367): lowest share 0.288 (smax-6917246, a Google Play
#: sale listing English app names), 16 below 0.5; the demo corpus (288 pages): lowest 0.912; the
#: seed page in ../shared/seeds: 0.936. English or Korean text scores 0 (a Japanese headline over
#: an English article under 0.05). 0.20 keeps all of those articles with a margin. The title
#: counts because two livedoor bodies are only a product name ("Audi A1 Sportback", "MIWA ROCK!!",
#: share 0 on the body alone) under a Japanese headline.
JAPANESE_SHARE_MIN = 0.20

#: Longest body text ingested as one document; longer ones are split (or rejected). livedoor's
#: longest article has 11,826 characters (median 1,011), the demo pages at most 386 and the seed
#: page (an editorial) 1,788; editorials run to about 1,000-2,000. 200,000 characters (a short book)
#: is far above any article: a text this long is a book, a site dump or many articles in one file,
#: and kept whole it would outweigh thousands of editorials in every topic and stance share.
MAX_DOCUMENT_CHARS = 200_000

#: What to do with a document over the limit.
OVERSIZE_CHOICES = ("split", "reject")

#: Runs of Japanese-script letters: 々〆, kana repeat marks, hiragana, katakana (with ー, not the
#: middle dot ・ or the voicing marks, which are not letters), half-width katakana, CJK ideographs.
_JAPANESE_RUN = re.compile(
    "[\u3005\u3006\u3031-\u3035\u303b\u303c\u3041-\u3096\u309d-\u309f\u30a1-\u30fa"
    "\u30fc-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
    "\U00020000-\U0003134f]+"
)
#: A sentence: up to and including its end mark (and closing brackets after it), or the rest.
_SENTENCE = re.compile(r"[^。！？!?]*(?:[。！？!?]+[」』）)】]*|$)")


def warn_stderr(message: str) -> None:
    """Print ``warning: message`` to stderr (the default ``warn`` of the ingest functions)."""
    print(f"warning: {message}", file=sys.stderr)


def japanese_share(text: str) -> float:
    """Share of Japanese-script characters among the letters of ``text`` (0.0 without letters)."""
    rest = _JAPANESE_RUN.sub("", text)  # fast: Japanese text leaves little to test one by one
    japanese = len(text) - len(rest)
    letters = japanese + sum(map(str.isalpha, rest))
    return japanese / letters if letters else 0.0


def language_problem(text: str, minimum: float = JAPANESE_SHARE_MIN) -> str | None:
    """The rejection reason for a text that is not mostly Japanese, else None."""
    share = japanese_share(text)
    if share >= minimum:
        return None
    if not any(map(str.isalpha, text)):
        return ("not Japanese: the text has no letters at all (only digits and symbols); "
                "pass --allow-other-languages to keep it")
    shown = f"{share:.0%}" if share >= 0.01 or share == 0 else "<1%"
    return (f"not Japanese: {shown} of letters are kana/kanji (need {minimum:.0%}); "
            "pass --allow-other-languages to keep it")


def _sentences(paragraph: str, max_chars: int) -> list[str]:
    """A paragraph cut at sentence ends, and any sentence still too long cut at the limit."""
    pieces = []
    for sentence in _SENTENCE.findall(paragraph):
        if sentence:
            pieces.extend(sentence[i:i + max_chars] for i in range(0, len(sentence), max_chars))
    return pieces


def split_text(text: str, max_chars: int) -> list[str]:
    """``text`` in consecutive parts of at most ``max_chars`` characters, cut between paragraphs
    (``\\n``) where possible, else between sentences, else hard at the limit."""
    parts: list[str] = []
    current = ""
    for paragraph in text.split("\n"):
        pieces = [paragraph] if len(paragraph) <= max_chars else _sentences(paragraph, max_chars)
        for i, piece in enumerate(pieces):
            joiner = "\n" if i == 0 else ""  # sentences of one paragraph join without a break
            if current and len(current) + len(joiner) + len(piece) <= max_chars:
                current += joiner + piece
            else:
                if current.strip():
                    parts.append(current.strip())
                current = piece
    if current.strip():
        parts.append(current.strip())
    return parts


def check_settings(max_chars: int, oversize: str) -> None:
    """Raise :class:`InputError` for a limit or oversize choice that cannot work."""
    if isinstance(max_chars, bool) or not isinstance(max_chars, int) or max_chars < 1:
        raise InputError(f"max_chars (--max-chars) must be a positive whole number of characters, "
                         f"not {max_chars!r}; the default is {MAX_DOCUMENT_CHARS}")
    if oversize not in OVERSIZE_CHOICES:
        raise InputError(f"oversize (--oversize) must be one of {', '.join(OVERSIZE_CHOICES)}, "
                         f"not {oversize!r}")


def _split(outcome: Outcome, max_chars: int, warn: Callable[[str], None]) -> list[Outcome]:
    doc = outcome.document
    parts = split_text(doc.text, max_chars)
    n = len(parts)
    note = (f"split into {n} parts of at most {max_chars:,} characters: over the "
            f"{max_chars:,}-character limit ({len(doc.text):,} characters); pass --oversize reject "
            "to reject such documents")
    warn(f"{outcome.path} has {len(doc.text):,} characters, over the {max_chars:,}-character "
         f"limit: split into {n} parts ({outcome.path}#part=1..{n}); raise --max-chars to keep it "
         "whole or pass --oversize reject to reject it")
    return [replace(outcome, path=f"{outcome.path}#part={k}", key=outcome.key + (k,),
                    document=replace(doc, text=part, title=f"{doc.title} ({k}/{n})".strip(),
                                     notes=[f"part {k} of {n}: {note}", *doc.notes]))
            for k, part in enumerate(parts, start=1)]


def check_outcomes(outcomes: list[Outcome], *, allow_other_languages: bool = False,
                   max_chars: int = MAX_DOCUMENT_CHARS, oversize: str = "split",
                   warn: Callable[[str], None] = warn_stderr) -> list[Outcome]:
    """``outcomes`` with non-Japanese documents rejected (or noted) and oversize ones split (or
    rejected); ``warn`` receives one message per oversize document."""
    checked: list[Outcome] = []
    for outcome in outcomes:
        doc = outcome.document
        if doc is None:
            checked.append(outcome)
            continue
        title_and_text = f"{doc.title}\n{doc.text}"
        if (problem := language_problem(title_and_text)) is not None:
            if not allow_other_languages:
                checked.append(replace(outcome, document=None, reason=problem))
                continue
            share = japanese_share(title_and_text)
            doc.notes.append(f"kept although not Japanese ({share:.0%} of letters are kana/kanji) "
                             "because of --allow-other-languages")
        if len(doc.text) <= max_chars:
            checked.append(outcome)
        elif oversize == "split":
            checked.extend(_split(outcome, max_chars, warn))
        else:
            warn(f"{outcome.path} has {len(doc.text):,} characters, over the {max_chars:,}-character "
                 "limit: rejected because of --oversize reject")
            checked.append(replace(outcome, document=None, reason=(
                f"too long: {len(doc.text):,} characters, over the {max_chars:,}-character limit; "
                "split the file into articles, raise --max-chars, or leave out --oversize reject "
                "to have it split by paragraphs")))
    return checked
