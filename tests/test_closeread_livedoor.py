"""The close-reading commands on the whole livedoor corpus (7,359 articles) finish in seconds.

Tokenizing livedoor with janome costs about 12 CPU-minutes, far over this suite's budget, and the
commands' cost depends on the number of documents and tokens, not on which analyzer made them.
So the tokens come from the project's token cache when it already holds every livedoor text
(after one `analysis tokenize` of livedoor); otherwise from a cheap stand-in segmenter (runs of
kanji, katakana or Latin letters/digits: about the token count and vocabulary size of the
content-word analyzer) that takes a second or two. The corpus itself is the real ingest output.
"""

from __future__ import annotations

import re
import time

import pandas as pd
import pytest

from analysis import config, io
from analysis.cli import main

pytestmark = [pytest.mark.shared, pytest.mark.slow]

LIVEDOOR = config.paths().shared / "data" / "livedoor" / "ldcc-text.tgz"
RUNS = re.compile(r"[一-龥々〆ヵヶ]+|[ァ-ヴー]{2,}|[A-Za-z][A-Za-z0-9]+")
#: Per-command limit in wall-clock seconds on a busy 2-core machine (measured: well under it).
LIMIT_S = 30.0


def _tokens(corpus: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    from analysis.tokenize import AnalyzerSettings, TokenCache, tokenize_corpus
    from analysis.tokenize.sentences import split_sentences

    cache_dir = config.paths().cache
    cache = TokenCache(cache_dir, AnalyzerSettings())
    if cache.root.is_dir() and all(cache.get(t) is not None for t in corpus["text"]):
        return tokenize_corpus(corpus, jobs=1, cache_dir=cache_dir, progress=False), "token cache (janome)"
    sentences = [split_sentences(t) for t in corpus["text"]]
    sentence_tokens = [[RUNS.findall(s) for s in doc] for doc in sentences]
    return pd.DataFrame({"doc_id": corpus["doc_id"], "tokens": [sum(st, []) for st in sentence_tokens],
                         "sentences": sentences, "sentence_tokens": sentence_tokens}), "stand-in segmenter"


@pytest.fixture(scope="module")
def livedoor(tmp_path_factory):
    if not LIVEDOOR.is_file():
        pytest.skip(f"{LIVEDOOR} not present")
    from analysis.ingest import ingest

    out = tmp_path_factory.mktemp("livedoor")
    ingest([LIVEDOOR], out)
    corpus = io.read_parquet(out / "corpus.parquet")
    tokens, origin = _tokens(corpus)
    io.write_parquet(tokens, out / "tokens.parquet")
    print(f"livedoor: {len(corpus)} documents, {tokens['tokens'].map(len).sum()} tokens from {origin}")
    return out


@pytest.mark.parametrize("argv", [
    ["kwic", "スマートフォン", "--limit", "5"],
    ["collocates", "スマートフォン", "--top", "10"],
    ["network", "--top", "60"],
    ["code", str(config.resource("coding_rules.txt")), "--n-boot", "200"],
    ["ca", "--by", "period", "--top", "60"],
], ids=lambda a: a[0])
def test_command_finishes_in_seconds_on_livedoor(livedoor, argv, tmp_path, capsys):
    args = argv + ["--processed", str(livedoor)]
    if argv[0] in ("network", "code", "ca"):
        args += ["--out", str(tmp_path / argv[0])]
    start = time.perf_counter()
    assert main(args) == 0
    elapsed = time.perf_counter() - start
    with capsys.disabled():
        print(f"\n  analysis {argv[0]} on livedoor: {elapsed:.1f} s")
    assert elapsed < LIMIT_S
