"""Issue 15.3: ``analysis tokenize`` streams: windows of documents are tokenized and written as
Parquet row groups as they are done; the bytes depend on the corpus only."""

from __future__ import annotations

import hashlib

import pandas as pd
import pyarrow.parquet as pq
import pytest

from analysis.io import read_parquet_row_groups, write_parquet
from analysis.tokenize import corpus as corpus_module
from analysis.tokenize import run_tokenize, tokenize_corpus
from analysis.tokenize.corpus import iter_token_lists, iter_token_rows

DOCS = ["輸出規制を強化する。補助金は要らない。", "先端半導体の輸出管理。\n次の段落。", "",
        "ディープシークがエヌビディアの輸出規制を批判した。", "iPhone 4SとG7。ＡＩ規制は２０２５年。"]
TEXTS = [d * (1 + i % 3) for i, d in enumerate(DOCS * 3)] + DOCS[:2]  # repeats, near and far


def _corpus(texts):
    return pd.DataFrame({"doc_id": [f"d{i:03d}" for i in range(len(texts))], "text": texts})


def _sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def small_windows(monkeypatch):
    monkeypatch.setattr(corpus_module, "WINDOW_CHARS", 60)
    monkeypatch.setattr(corpus_module, "ROW_GROUP_DOCS", 4)


def test_streamed_file_is_the_same_bytes_whatever_jobs_and_cache(tmp_path, small_windows):
    write_parquet(_corpus(TEXTS), tmp_path / "corpus.parquet")
    runs = {
        "one": dict(jobs=1, cache_dir=None),
        "two-cold": dict(jobs=2, cache_dir=tmp_path / "cache"),
        "two-warm": dict(jobs=2, cache_dir=tmp_path / "cache"),
        "one-warm": dict(jobs=1, cache_dir=tmp_path / "cache"),
    }
    results = {name: run_tokenize(tmp_path / "corpus.parquet", tmp_path / name / "tokens.parquet",
                                  progress=False, **kwargs) for name, kwargs in runs.items()}
    assert len({_sha(tmp_path / name / "tokens.parquet") for name in runs}) == 1
    distinct = len(set(TEXTS))
    assert results["one"].attrs == {"n_documents": len(TEXTS), "n_cached": 0, "n_tokenized": distinct}
    assert results["two-cold"].attrs["n_tokenized"] == distinct
    assert results["two-warm"].attrs == {"n_documents": len(TEXTS), "n_cached": distinct, "n_tokenized": 0}

    path = tmp_path / "one" / "tokens.parquet"
    assert pq.ParquetFile(path).metadata.num_row_groups == -(-len(TEXTS) // 4)
    expected = tokenize_corpus(_corpus(TEXTS), jobs=1, progress=False)
    back = pd.read_parquet(path)
    assert list(back.columns) == list(expected.columns)
    assert back["doc_id"].tolist() == expected["doc_id"].tolist()
    for column in ("tokens", "sentences"):
        assert [list(v) for v in back[column]] == expected[column].tolist()
    assert list(iter_token_lists(path)) == expected["tokens"].tolist()
    assert list(iter_token_lists(path, "sentence_tokens")) == expected["sentence_tokens"].tolist()
    chunks = list(read_parquet_row_groups(path, ["doc_id"]))
    assert [len(c) for c in chunks][:-1] == [4] * (len(chunks) - 1)
    assert pd.concat(chunks, ignore_index=True)["doc_id"].tolist() == expected["doc_id"].tolist()
    assert results["one"].read(["doc_id"])["doc_id"].tolist() == expected["doc_id"].tolist()


def test_windows_give_the_rows_of_one_window_and_release_tokens(small_windows):
    frame = _corpus(TEXTS)
    whole = list(iter_token_rows(frame, jobs=1, progress=False, window_chars=10**9))
    stats: dict = {}
    rows = iter_token_rows(frame, jobs=1, progress=False, stats=stats)
    assert list(rows) == whole
    assert stats == {"n_documents": len(TEXTS), "n_cached": 0, "n_tokenized": len(set(TEXTS))}
    assert [r[0] for r in whole] == frame["doc_id"].tolist()
    assert len(corpus_module._windows(TEXTS, 60)) > 3
    assert [i for w in corpus_module._windows(TEXTS, 60) for i in w] == list(range(len(TEXTS)))


def test_an_empty_corpus_gives_an_empty_table(tmp_path):
    write_parquet(pd.DataFrame({"doc_id": pd.Series([], dtype=str), "text": pd.Series([], dtype=str)}),
                  tmp_path / "corpus.parquet")
    result = run_tokenize(tmp_path / "corpus.parquet", tmp_path / "tokens.parquet", cache_dir=None, jobs=1,
                          progress=False)
    back = pd.read_parquet(tmp_path / "tokens.parquet")
    assert len(back) == 0 and list(back.columns) == ["doc_id", "tokens", "sentences", "sentence_tokens"]
    assert result.attrs["n_documents"] == 0
    assert list(iter_token_lists(tmp_path / "tokens.parquet")) == []
