"""The syntax stance scorer: the author's voice, negation scope, concession, rhetorical questions,
paraphrased targets, documents that only report others, the parse cache and the one labelling rule.

The sentences below are the issue's examples of each construction (new sentences, not from the
held-out sets) plus a few of our own; the frozen test part of data/gold is scored in the README,
not here, so a test cannot be tuned against it.
"""

from __future__ import annotations

import pandas as pd
import pytest

spacy = pytest.importorskip("spacy")
try:
    spacy.load("ja_ginza", exclude=["ner"])
except OSError:  # pragma: no cover - the project installs it; a bare environment may not
    pytest.skip("ja_ginza not installed (pip install ginza ja-ginza)", allow_module_level=True)

from analysis import config  # noqa: E402
from analysis.errors import InputError  # noqa: E402
from analysis.stance.syntax import SyntaxStanceScorer  # noqa: E402


@pytest.fixture(scope="module")
def scorer():
    """The default: structural reading plus the learned scorer trained on the bundled set."""
    return SyntaxStanceScorer(targets="default", cache_dir=None).fit()


@pytest.fixture(scope="module")
def structural():
    """The structural reading alone (no learned model): what the parse says."""
    return SyntaxStanceScorer(targets="default", cache_dir=None, learned=False).fit()


ISSUE_EXAMPLES = [
    # reported speech is not the author's stance ...
    ("経済界は輸出規制の緩和を強く求めている。", "輸出規制", "NONE"),
    # ... unless the author judges it
    ("与党はAI規制を「成長の足かせ」と批判するが、その批判こそ的外れだ。", "AI規制", "FAVOR"),
    # a news sentence takes no side
    ("政府は昨年、半導体補助金の第2弾を閣議決定した。", "半導体補助金", "NONE"),
    # negation scope: not rushing to end the subsidy
    ("半導体補助金の打ち切りを急ぐべきではない。", "半導体補助金", "FAVOR"),
    # concession: the weight is after だが
    ("輸出規制に一理あることは認める。だが、同盟国の企業ばかりが損をする仕組みは改めるべきだ。", "輸出規制", "AGAINST"),
    # paraphrase: no alias of the target
    ("先端チップを中国に売らせない措置をこれ以上広げるのは得策ではない。", "輸出規制", "AGAINST"),
    # rhetorical question
    ("半導体工場に巨額の公費を投じ続けて、本当に産業は強くなるのだろうか。", "半導体補助金", "AGAINST"),
    # the thesis without the target's name
    ("法の網をかけることを、これ以上ためらうべきではない。", "AI規制", "FAVOR"),
]


@pytest.mark.parametrize("text,target,label", ISSUE_EXAMPLES)
def test_issue_examples(scorer, text, target, label):
    assert scorer.predict([(text, target)]).tolist() == [label]


@pytest.mark.parametrize("text,target,label", [
    ("補助金は拡充すべきだが、輸出規制の強化は見直すべきだ。", "輸出規制", "AGAINST"),
    ("補助金は拡充すべきだが、輸出規制の強化は見直すべきだ。", "半導体補助金", "FAVOR"),
    ("対中規制は一定の効果を上げたが、弊害も大きい。", "輸出規制", "AGAINST"),
    ("輸出規制の強化は日本企業に深刻な打撃を与える。", "輸出規制", "AGAINST"),
    ("AI規制が必要ないとは言えない。", "AI規制", "FAVOR"),
    ("輸出規制をこれ以上強化して、いったい誰が得をするのだろうか。", "輸出規制", "AGAINST"),
    ("政府は輸出規制を強化した。", "輸出規制", "NONE"),
    ("AI規制のあり方について、議論を深める必要がある。", "AI規制", "NONE"),
])
def test_structure(structural, text, target, label):
    assert structural.predict([(text, target)]).tolist() == [label]


@pytest.mark.parametrize("text,target,label", ISSUE_EXAMPLES)
def test_issue_examples_structural_alone(structural, text, target, label):
    assert structural.predict([(text, target)]).tolist() == [label]


def test_negation_flips_the_judgement(structural):
    base = structural.decision_function([("輸出規制を強化すべきだ。", "輸出規制")])[0]
    negated = structural.decision_function([("輸出規制を強化すべきではない。", "輸出規制")])[0]
    assert base > 0.1 and negated < -0.1


def test_documents_reporting_others_are_none_and_evidence_is_the_authors(scorer):
    reports_only = ("経済界は輸出規制の緩和を求めている。\n野党は輸出規制の強化を「経済の足かせだ」と批判した。\n"
                    "一方、与党は輸出規制の強化が必要だと主張している。\n各党の主張を見比べて判断したい。")
    thesis = ("政府は輸出規制の対象を広げる方針を決めた。\n経済界には懸念の声がある。\n"
              "しかし、技術の流出を防ぐには今回の措置は欠かせない。\nこの措置を着実に進めるべきだ。")
    docs = pd.DataFrame({"doc_id": ["a", "b"], "text": [reports_only, thesis], "title": ["輸出規制をめぐって", ""]})
    stance, evidence = scorer.score_documents(docs, scorer._targets(), method="syntax")
    got = stance.query("target == '輸出規制'").set_index("doc_id")
    assert got.loc["a", "label"] == "NONE" and got.loc["a", "n_votes"] == 0
    assert got.loc["b", "label"] == "FAVOR" and got.loc["b", "confidence"] > 0.5
    voted = evidence[(evidence["doc_id"] == "b") & (evidence["weight"] > 0)]
    assert set(voted["voice"]) == {"author"}
    assert not voted["sentence"].str.contains("懸念の声").any()
    assert "reference" in set(evidence["how"])        # 今回の措置 / この措置 without the target's name
    # a target no document discusses is NaN with no mentions
    assert stance.query("target == 'AI規制'")["score"].isna().all()


def test_parse_cache_reuses_parses(tmp_path):
    from analysis.stance.parse import Parser

    first = Parser(cache_dir=tmp_path)
    a = first.parse(["輸出規制を強化すべきだ。"])
    first.close()
    second = Parser(cache_dir=tmp_path)
    b = second.parse(["輸出規制を強化すべきだ。"])
    assert a == b and second.parsed == 0 and second.hits == 1


def test_missing_model_is_one_clear_line(monkeypatch):
    import analysis.stance.parse as parse

    monkeypatch.setattr(parse, "_NLP", None)

    def fail(*args, **kwargs):
        raise OSError("[E050] Can't find model 'ja_ginza'")

    monkeypatch.setattr(spacy, "load", fail)
    with pytest.raises(InputError) as err:
        parse.load_nlp()
    message = str(err.value)
    assert "pip install" in message and "ja-ginza" in message and "\n" not in message


def test_every_scorer_follows_one_labelling_rule():
    """Corpus labels and predict() agree, for every method (the issue found three rules)."""
    from analysis.stance.evaluate import make_scorer

    texts = ["輸出規制の強化は妥当だ。", "輸出規制は撤廃すべきだ。", "輸出規制をめぐる協議が始まる。"] * 2
    docs = pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "text": texts})
    X = [(t, "輸出規制") for t in texts]
    for method in ("syntax", "rules", "supervised"):
        scorer = make_scorer(method, targets={k: v for k, v in SyntaxStanceScorer(targets="default")._targets().items()})
        if method == "supervised":
            scorer.fit(X * 3, ["FAVOR", "AGAINST", "NONE"] * 6)
        else:
            scorer.fit(X, None)
        stance, _ = scorer.score_documents(docs, scorer._targets(), method=method)
        corpus_labels = stance.query("target == '輸出規制'").set_index("doc_id").loc[docs["doc_id"], "label"].tolist()
        assert corpus_labels == scorer.predict(X).tolist(), method


def test_stance_eval_defaults_to_bundled_targets_and_syntax(tmp_path, capsys):
    from analysis.cli import main

    gold = tmp_path / "gold.csv"
    gold.write_text("text,target,label,construction\n"
                    "対中規制の拡大は経済安全保障に欠かせない。,輸出規制,FAVOR,plain\n"
                    "政府は昨年、半導体補助金の第2弾を閣議決定した。,半導体補助金,NONE,news\n", encoding="utf-8")
    assert main(["stance-eval", str(gold)]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert out[0].startswith("method=syntax")
    assert out[-1] == "macro_f=0.500"         # FAVOR found (F=1), no AGAINST in gold or predictions (F=0)
    assert any(line.startswith("news") for line in out)


def test_bundled_document_set_reads(tmp_path):
    from analysis.stance.evaluate import read_document_gold

    gold = read_document_gold(config.paths().root / "data" / "gold" / "editorial_documents.csv")
    assert len(gold) >= 20 and set(gold["split"]) == {"dev", "test"}
    assert (gold["kind"] == "reports_only").sum() >= 6


def test_demo_trajectories_come_back_with_the_default_method(tmp_path):
    """The demo's planted trajectories and page labels with the default scorer (measured r 0.756,
    page accuracy 0.74 / 0.92 / 0.76; the rule scorer's sentence banks were written with the demo,
    so the rules score higher there: see the README)."""
    from analysis.ingest import ingest
    from analysis.io import read_parquet
    from analysis.stance.over_time import score_corpus, trajectory_correlation

    demo = config.paths().demo
    corpus = read_parquet(ingest(demo / "pages", tmp_path).corpus_path)
    stance, evidence = score_corpus(corpus)
    assert set(stance["method"]) == {"syntax"}
    r, cells = trajectory_correlation(stance, corpus, pd.read_csv(demo / "trajectories.csv"))
    assert len(cells) >= 50 and r >= 0.70, r
    truth = pd.read_csv(demo / "ground_truth.csv")
    key = corpus["path"].astype(str).str.extract(r"(pages/[^/]+/[^/]+\.txt)$")[0]
    pages = corpus.assign(file=key)[["doc_id", "file"]].merge(truth, on="file").set_index("doc_id")
    for target in ("輸出規制", "AI規制", "半導体補助金"):
        gold = pages[f"stance_{target}"].dropna().map({1.0: "FAVOR", -1.0: "AGAINST", 0.0: "NONE"})
        pred = stance[stance["target"] == target].set_index("doc_id").loc[gold.index, "label"]
        assert (pred == gold).mean() >= 0.70, target
    voted = evidence[evidence["weight"] > 0]
    assert len(voted) and set(voted["voice"]) == {"author"}


def test_an_alias_read_in_parts_names_its_target_but_not_beside_another_alias(scorer):
    docs = pd.DataFrame({"doc_id": ["a"], "text": [
        "政府は半導体の輸出を厳しく規制すべきだ。\n"
        "輸出規制をかいくぐって高性能のAIが生まれた以上、規制の効果を検証し直すべきだ。"]})
    _, evidence = scorer.score_documents(docs, scorer._targets(), method="syntax")
    found = set(zip(evidence["target"], evidence["how"], evidence["sentence_index"]))
    assert ("輸出規制", "parts", 0) in found              # 輸出 ... 規制 apart in one sentence
    assert not any(t == "AI規制" for t, _, _ in found)   # AI + 規制 of 輸出規制 is not AI規制
