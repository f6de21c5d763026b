"""KWIC, collocation statistics, co-occurrence network and correspondence analysis on tiny corpora."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis.closeread import (build_network, ca_table, collocates, correspondence_analysis, kwic,
                                kwic_text, plot_ca_biplot, plot_network, write_kwic)
from analysis.closeread._common import display_width
from analysis.closeread.collocations import log_likelihood
from analysis.errors import InputError


def _corpus() -> pd.DataFrame:
    published = pd.to_datetime(["2023-03-01 09:00", "2023-12-31 23:30", "2024-06-10 12:00"]).tz_localize("Asia/Tokyo")
    return pd.DataFrame({
        "doc_id": ["a1", "b1", "a2"],
        "source": ["A紙", "B紙", "A紙"],
        "title": ["t1", "t2", "t3"],
        "text": ["政府は輸出規制を強化した。輸出規制には懸念もある。",
                 "輸出規制の\n緩和を求める。",
                 "米国の輸出規制が続く。"],
        "published": published,
    })


# ---------------------------------------------------------------- KWIC


def test_kwic_string_contexts_are_exact():
    hits = kwic(_corpus(), "輸出規制", window=4)
    assert hits.columns.tolist() == ["doc_id", "date", "source", "left", "match", "right"]
    assert hits[["doc_id", "left", "match", "right"]].values.tolist() == [
        ["a1", "政府は", "輸出規制", "を強化し"],
        ["a1", "化した。", "輸出規制", "には懸念"],
        ["b1", "", "輸出規制", "の 緩和"],  # the line break is shown as a space
        ["a2", "米国の", "輸出規制", "が続く。"],
    ]
    assert str(hits["date"].iloc[0].tz) == "Asia/Tokyo"


def test_kwic_sorting_left_reads_backwards_and_right_forwards():
    corpus = _corpus()
    right = kwic(corpus, "輸出規制", window=4, sort="right")["right"].tolist()
    assert right == sorted(right)
    left = kwic(corpus, "輸出規制", window=4, sort="left")["left"].tolist()
    assert left == sorted(left, key=lambda s: s[::-1])
    assert left[0] == ""  # empty context first, then by the character just before the match
    assert set(left) == {"", "政府は", "化した。", "米国の"}


def test_kwic_filters_by_source_and_inclusive_dates():
    corpus = _corpus()
    assert kwic(corpus, "輸出規制", source="A紙")["doc_id"].tolist() == ["a1", "a1", "a2"]
    # --to with a bare date includes that whole day (b1 is at 23:30 JST)
    assert kwic(corpus, "輸出規制", date_from="2023-06-01", date_to="2023-12-31")["doc_id"].tolist() == ["b1"]
    assert kwic(corpus, "輸出規制", date_from="2024-01-01")["doc_id"].tolist() == ["a2"]
    with pytest.raises(InputError, match="C紙"):
        kwic(corpus, "輸出規制", source="C紙")
    with pytest.raises(InputError, match="not a date"):
        kwic(corpus, "輸出規制", date_from="yesterday-ish")


def test_kwic_token_mode_matches_sequences_with_token_windows():
    tokens = pd.DataFrame({"doc_id": ["a1", "b1", "a2"],
                           "tokens": [["政府", "輸出", "規制", "強化", "輸出", "懸念"], ["輸出", "規制", "緩和"], ["米国", "規制"]]})
    hits = kwic(_corpus(), "輸出 規制", by="tokens", tokens=tokens, window=2)
    assert hits[["doc_id", "left", "match", "right"]].values.tolist() == [
        ["a1", "政府", "輸出 規制", "強化 輸出"], ["b1", "", "輸出 規制", "緩和"]]
    with pytest.raises(InputError, match="analysis tokenize"):
        kwic(_corpus(), "規制", by="tokens")


def test_kwic_text_right_aligns_left_context_and_exports(tmp_path):
    hits = kwic(_corpus(), "輸出規制", window=4)
    lines = kwic_text(hits).splitlines()
    # the match starts at the same display column in every row although contexts differ
    starts = {display_width(line[: line.index("輸出規制")]) for line in lines[1:]}
    assert len(starts) == 1
    write_kwic(hits, tmp_path / "k.csv")
    back = pd.read_csv(tmp_path / "k.csv", keep_default_na=False)
    assert back["left"].tolist() == hits["left"].tolist() and back["date"].iloc[0] == "2023-03-01"
    write_kwic(hits, tmp_path / "k.html")
    html = (tmp_path / "k.html").read_text(encoding="utf-8")
    assert html.count("<tr>") == len(hits) + 1 and 'class="m">輸出規制<' in html
    write_kwic(hits, tmp_path / "k.md")
    md = (tmp_path / "k.md").read_text(encoding="utf-8").splitlines()
    assert len(md) == len(hits) + 2 and "**輸出規制**" in md[2]
    with pytest.raises(InputError, match=".csv, .html or .md"):
        write_kwic(hits, tmp_path / "k.xlsx")


# ---------------------------------------------------------------- collocations


def _colloc_tokens() -> dict[str, list[str]]:
    return {"d1": ["甲", "規制", "乙"], "d2": ["丙", "規制", "乙"], "d3": ["乙", "丁", "丁", "戊"], "d4": ["戊", "己"]}


def test_collocation_statistics_match_a_hand_computed_table():
    table = collocates(_colloc_tokens(), "規制", window=1, min_count=1, sort="frequency")
    row = table.set_index("word").loc["乙"]
    # By hand: positions except the term's N = 12 - 2 = 10; in-window positions: d1 {0, 2},
    # d2 {0, 2} -> span 4. 乙 occurs 3 times, twice in a window:
    #            乙   not 乙
    # window     2      2     | 4
    # outside    1      5     | 6
    #            3      7       10
    expected = 3 * 4 / 10  # 1.2
    assert row["frequency"] == 2 and row["word_total"] == 3
    assert row["left"] == 0 and row["right"] == 2 and row["score"] == pytest.approx(2.0)
    assert row["expected"] == pytest.approx(1.2)
    assert row["pmi"] == pytest.approx(math.log2(2 / 1.2))
    g2 = 2 * (2 * math.log(2 / 1.2) + 2 * math.log(2 / 2.8) + 1 * math.log(1 / 1.8) + 5 * math.log(5 / 4.2))
    assert row["llr"] == pytest.approx(g2)
    assert row["t"] == pytest.approx((2 - expected) / math.sqrt(2))
    # Jaccard is document level: 規制 in {d1, d2}, 乙 in {d1, d2, d3}
    assert row["co_docs"] == 2 and row["word_docs"] == 3 and row["jaccard"] == pytest.approx(2 / 3)
    assert set(table["word"]) == {"甲", "乙", "丙"}


def test_log_likelihood_agrees_with_scipy():
    from scipy.stats import chi2_contingency

    for cells in ([[2, 2], [1, 5]], [[10, 40], [90, 860]], [[3, 0], [7, 20]]):
        g2, *_ = chi2_contingency(np.array(cells), correction=False, lambda_="log-likelihood")
        assert log_likelihood(*cells[0], *cells[1]) == pytest.approx(g2)


def test_collocation_windows_overlap_once_and_sorting():
    tokens = {"d1": ["甲", "規制", "規制", "乙"], "d2": ["甲", "乙", "丙", "丙"]}
    table = collocates(tokens, "規制", window=2, min_count=1, keep_repelled=True, sort="pmi")
    row = table.set_index("word").loc["乙"]
    assert row["frequency"] == 1 and row["score"] == pytest.approx(1.0)  # nearest occurrence only
    assert table["pmi"].tolist() == sorted(table["pmi"], reverse=True)
    assert len(collocates(tokens, "規制", window=2, min_count=1, top=1)) == 1
    with pytest.raises(InputError, match="does not occur"):
        collocates(tokens, "存在しない語")
    with pytest.raises(InputError, match="sort"):
        collocates(tokens, "規制", sort="dice")


# ---------------------------------------------------------------- network


def _network_tokens() -> dict[str, list[str]]:
    return {
        "d1": ["輸出規制", "半導体", "中国", "米国"], "d2": ["輸出規制", "半導体", "米国"],
        "d3": ["輸出規制", "中国", "報復"], "d4": ["景気", "物価", "日銀"], "d5": ["景気", "物価", "賃金", "日銀"],
        "d6": ["物価", "賃金"], "d7": ["半導体", "補助金", "米国"],
    }


def test_network_is_deterministic_and_seeded():
    first = build_network(_network_tokens(), top=10, top_edges=12)
    second = build_network(_network_tokens(), top=10, top_edges=12)
    pd.testing.assert_frame_equal(first[0], second[0])
    pd.testing.assert_frame_equal(first[1], second[1])
    other_seed, _ = build_network(_network_tokens(), top=10, top_edges=12, seed=7)
    assert not np.allclose(first[0][["x", "y"]].to_numpy(), other_seed[["x", "y"]].to_numpy())
    # insertion order of the input does not matter either
    shuffled = dict(reversed(list(_network_tokens().items())))
    pd.testing.assert_frame_equal(build_network(shuffled, top=10, top_edges=12)[0], first[0])


def test_network_edges_jaccard_communities_and_groups():
    nodes, edges = build_network(_network_tokens(), top=10, top_edges=None, min_docs=2,
                                 groups={"d1": "A", "d2": "A", "d3": "A", "d4": "B", "d5": "B", "d6": "B", "d7": "B"})
    edge = edges.set_index(["word1", "word2"]).loc[("半導体", "輸出規制")]
    assert edge["co_docs"] == 2 and edge["jaccard"] == pytest.approx(2 / 4)  # {d1,d2} / {d1,d2,d3,d7}
    assert edge["pmi"] == pytest.approx(math.log2(2 * 7 / (3 * 3)))
    community = dict(zip(nodes["word"], nodes["community"]))
    assert community["景気"] == community["物価"] != community["輸出規制"]
    group = dict(zip(nodes["word"], nodes["group"]))
    assert group["輸出規制"] == "A" and group["物価"] == "B"
    strongest = build_network(_network_tokens(), top=10, top_edges=3, min_docs=2)[1]
    assert len(strongest) == 3 and strongest["jaccard"].min() >= edges["jaccard"].nlargest(3).min()
    thresholded = build_network(_network_tokens(), top=10, top_edges=None, min_value=0.6)[1]
    assert (thresholded["jaccard"] >= 0.6).all() and len(thresholded) > 0


def test_network_term_neighbourhood_keeps_the_term():
    nodes, edges = build_network(_network_tokens(), term="輸出規制", top=3, min_docs=1)
    assert "輸出規制" in set(nodes["word"])
    assert len(nodes) <= 4
    with pytest.raises(InputError, match="does not occur"):
        build_network(_network_tokens(), term="存在しない語")


def test_plot_network_draws_every_label_without_missing_glyphs(recwarn):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from analysis.figures.style import use_style

    use_style()
    nodes, edges = build_network(_network_tokens(), top=10, top_edges=12,
                                 groups={f"d{i}": ("A" if i < 4 else "B") for i in range(1, 8)})
    fig, (ax1, ax2) = plt.subplots(1, 2)
    plot_network(nodes, edges, ax=ax1)
    plot_network(nodes, edges, ax=ax2, color_by="group")
    fig.canvas.draw()
    assert sorted(t.get_text() for t in ax1.texts) == sorted(nodes["word"])
    assert not [w for w in recwarn if "Glyph" in str(w.message)]
    plt.close(fig)


def _many_communities_tokens() -> dict[str, list[str]]:
    """Ten separate word groups (pairs, the first ones larger), so ten communities."""
    groups = [["輸出規制", "半導体", "中国", "米国"], ["景気", "物価", "日銀"], ["選挙", "国会"], ["原発", "電力"],
              ["少子化", "子育て"], ["防衛", "予算"], ["医療", "介護"], ["教育", "大学"], ["災害", "復興"],
              ["外交", "首脳"]]
    return {f"g{i}d{k}": list(words) for i, words in enumerate(groups) for k in range(2)}


def _rgb(colour) -> tuple:
    from matplotlib.colors import to_rgb

    return tuple(round(v, 4) for v in to_rgb(colour))


def test_network_communities_beyond_the_palette_merge_into_one_grey_other_class():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from analysis.closeread.network import OTHER_COLOUR, OTHER_LABEL, node_palette
    from analysis.figures.style import use_style

    use_style()
    nodes, edges = build_network(_many_communities_tokens(), top=40, min_docs=2, top_edges=None)
    assert sorted(nodes["community"].unique()) == list(range(1, 11))
    palette = node_palette()
    assert len(palette) < 10 and "#000000" not in palette
    fig, ax = plt.subplots()
    plot_network(nodes, edges, ax=ax)
    face = [_rgb(c[:3]) for c in ax.collections[0].get_facecolors()]
    colour_of = {}
    for community, rgb in zip(nodes["community"], face):
        assert colour_of.setdefault(community, rgb) == rgb  # one colour per community
    coloured = [colour_of[c] for c in range(1, len(palette) + 1)]
    assert coloured == [_rgb(c) for c in palette] and len(set(coloured)) == len(palette)
    grey = _rgb(OTHER_COLOUR)
    assert all(colour_of[c] == grey for c in range(len(palette) + 1, 11))
    assert colour_of[9] != colour_of[1]  # community 9 no longer reuses community 1's colour
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == [f"コミュニティ {c}" for c in range(1, len(palette) + 1)] + [OTHER_LABEL]
    plt.close(fig)
    fig, ax = plt.subplots()
    plot_network(nodes, edges, ax=ax, max_colors=3)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["コミュニティ 1", "コミュニティ 2",
                                                                   "コミュニティ 3", OTHER_LABEL]
    assert len({_rgb(c[:3]) for c in ax.collections[0].get_facecolors()}) == 4
    plt.close(fig)
    with pytest.raises(InputError, match="max_colors"):
        plot_network(nodes, edges, max_colors=len(palette) + 1)


def _label_overlaps(ax) -> list[tuple[str, str]]:
    ax.figure.canvas.draw()
    texts = [t for t in ax.texts if t.get_text()]
    boxes = [t.get_window_extent() for t in texts]
    return [(texts[i].get_text(), texts[j].get_text()) for i in range(len(texts)) for j in range(i + 1, len(texts))
            if boxes[i].overlaps(boxes[j])]


def test_network_labels_in_a_dense_cluster_are_moved_apart_deterministically():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from analysis.figures.style import use_style

    use_style()
    words = ["経済安全保障", "輸出管理強化", "半導体補助金", "先端技術流出", "サプライチェーン", "同盟国協調",
             "対中輸出規制", "重要物資確保", "安全保障環境", "技術覇権競争", "人工知能規制", "国際協調体制"]
    tokens = {f"d{i}": words[:] for i in range(3)}
    tokens.update({"x1": ["景気", "物価"], "x2": ["景気", "物価"]})
    nodes, edges = build_network(tokens, top=20, min_docs=2, top_edges=None)
    positions = []
    for adjust in (False, True, True):
        fig, ax = plt.subplots(figsize=(4, 3.5))
        plot_network(nodes, edges, ax=ax, adjust_labels=adjust)
        overlaps = _label_overlaps(ax)
        if adjust:
            assert overlaps == []
            positions.append([t.get_position() for t in ax.texts])
        else:
            assert overlaps  # the cluster is dense enough for labels to collide when left in place
        plt.close(fig)
    assert positions[0] == positions[1]  # same figure on every run


# ---------------------------------------------------------------- correspondence analysis


def test_ca_inertia_equals_chi2_over_n_and_coordinates_are_consistent():
    from scipy.stats import chi2_contingency

    table = pd.DataFrame([[30, 5, 5, 2], [5, 25, 5, 8], [4, 6, 30, 1], [10, 12, 9, 11], [1, 3, 2, 9]],
                         index=["規制", "補助金", "景気", "政府", "選挙"], columns=["A紙", "B紙", "C紙", "D紙"])
    coords, inertia = correspondence_analysis(table)
    n = table.to_numpy().sum()
    chi2 = chi2_contingency(table.to_numpy(), correction=False)[0]
    assert inertia["eigenvalue"].sum() == pytest.approx(chi2 / n)
    assert len(inertia) == 3 and inertia["cumulative"].iloc[-1] == pytest.approx(1.0)
    assert inertia["eigenvalue"].is_monotonic_decreasing
    rows, cols = coords[coords["kind"] == "row"], coords[coords["kind"] == "column"]
    dims = ["dim1", "dim2", "dim3"]
    # centred: mass-weighted mean of principal coordinates is 0; weighted variance = eigenvalue
    for frame in (rows, cols):
        assert np.allclose(frame["mass"].to_numpy() @ frame[dims].to_numpy(), 0.0, atol=1e-12)
        assert np.allclose(frame["mass"].to_numpy() @ frame[dims].to_numpy() ** 2, inertia["eigenvalue"])
    # transition formula: row principal = row profiles x column standard coordinates
    profiles = table.to_numpy() / table.to_numpy().sum(axis=1, keepdims=True)
    assert np.allclose(profiles @ cols[["std1", "std2", "std3"]].to_numpy(), rows[dims].to_numpy())
    assert rows["contribution1"].sum() == pytest.approx(1.0)
    again, _ = correspondence_analysis(table)
    pd.testing.assert_frame_equal(coords, again)
    with pytest.raises(InputError):
        correspondence_analysis(pd.DataFrame([[1, 2]]))


def test_ca_table_by_source_and_period_and_biplot():
    corpus = _corpus()
    tokens = pd.DataFrame({"doc_id": ["a1", "b1", "a2"],
                           "tokens": [["輸出規制", "強化", "輸出規制"], ["輸出規制", "緩和"], ["米国", "輸出規制", "強化"]]})
    by_source = ca_table(tokens, corpus, by="source", top=10)
    assert by_source.loc["輸出規制"].tolist() == [3.0, 1.0] and by_source.columns.tolist() == ["A紙", "B紙"]
    by_year = ca_table(tokens, corpus, by="period", period="Y", top=10)
    assert by_year.columns.tolist() == ["2023", "2024"] and by_year.loc["強化"].tolist() == [1.0, 1.0]
    with pytest.raises(InputError, match="at least two groups"):
        ca_table(tokens, corpus[corpus["source"] == "A紙"].iloc[:1], by="source")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from analysis.figures.style import use_style

    use_style()
    coords, inertia = correspondence_analysis(by_source)
    ax = plot_ca_biplot(coords, inertia)
    assert ax.get_xlabel() == "第1次元 (100.0%)"
    plt.close(ax.figure)
    table = pd.DataFrame([[30, 5, 5], [5, 30, 5], [5, 5, 30], [10, 10, 10]],
                         index=["規制", "補助金", "景気", "政府"], columns=["A紙", "B紙", "C紙"])
    coords3, inertia3 = correspondence_analysis(table)
    ax = plot_ca_biplot(coords3, inertia3)
    assert ax.get_xlabel().startswith("第1次元 (") and ax.get_ylabel().startswith("第2次元 (")
    assert ax.get_yaxis().get_visible()
    plt.close(ax.figure)


def _two_paper_table() -> pd.DataFrame:
    """30 words whose profiles differ only a little: their labels crowd one axis."""
    words = ["規制", "補助金", "景気", "政府", "選挙", "物価", "半導体", "中国", "米国", "日銀", "賃金", "外交",
             "防衛", "経済安全保障", "輸出管理", "同盟", "首相", "国会", "予算", "税制", "金利", "為替", "原発",
             "脱炭素", "少子化", "年金", "医療", "教育", "地方", "災害"]
    counts = [[20 + (i * 7) % 11, 20 + (i * 5) % 13] for i in range(len(words))]
    return pd.DataFrame(counts, index=pd.Index(words, name="word"), columns=pd.Index(["A紙", "B紙"], name="source"))


def test_two_groups_give_one_dimension_drawn_on_one_axis_without_overlapping_labels(recwarn):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from analysis.closeread import plot_ca_axis
    from analysis.figures.style import use_style

    coords, inertia = correspondence_analysis(_two_paper_table())
    assert inertia["dimension"].tolist() == [1] and inertia["share"].iloc[0] == pytest.approx(1.0)
    assert [c for c in coords.columns if c.startswith("dim")] == ["dim1"]
    use_style()
    ax = plot_ca_biplot(coords, inertia)  # one dimension: drawn by plot_ca_axis
    fig = ax.figure
    fig.canvas.draw()
    assert fig.axes == [ax] and not ax.get_yaxis().get_visible()
    assert ax.get_xlabel() == "第1次元 (100.0%)"
    labels = [t for t in ax.texts if t.get_text()]
    assert sorted(t.get_text() for t in labels) == sorted(coords["label"])  # every word and paper
    boxes = [t.get_window_extent() for t in labels]
    overlapping = [(labels[i].get_text(), labels[j].get_text()) for i in range(len(boxes))
                   for j in range(i + 1, len(boxes)) if boxes[i].overlaps(boxes[j])]
    assert overlapping == []
    # each label stands straight above (words) or below (papers) its point on the axis
    axis_y = ax.transData.transform((0, 0))[1]
    x_of = dict(zip(coords["label"], coords["dim1"]))
    kind = dict(zip(coords["label"], coords["kind"]))
    for text, box in zip(labels, boxes):
        assert ax.transData.transform((x_of[text.get_text()], 0))[0] == pytest.approx((box.x0 + box.x1) / 2, abs=1.0)
        assert (box.y0 > axis_y) if kind[text.get_text()] == "row" else (box.y1 < axis_y)
    # the words really were crowded: several rows of labels were needed
    assert len({round(b.y0) for b, t in zip(boxes, labels) if kind[t.get_text()] == "row"}) > 2
    assert not [w for w in recwarn if "Glyph" in str(w.message)]
    plt.close(fig)
    with pytest.raises(InputError, match="no dimension 2"):
        plot_ca_axis(coords, inertia, dim=2)


def test_one_newspaper_is_refused_with_a_reason_the_caller_can_print():
    from analysis.closeread import TooFewGroupsError

    corpus = _corpus()
    one_paper = corpus[corpus["source"] == "A紙"]
    tokens = pd.DataFrame({"doc_id": ["a1", "a2"], "tokens": [["輸出規制", "強化"], ["米国", "輸出規制"]]})
    with pytest.raises(TooFewGroupsError) as info:
        ca_table(tokens, one_paper, by="source")
    assert isinstance(info.value, InputError)  # the CLI prints it as one line and exits 2
    assert info.value.by == "source" and info.value.groups == ("A紙",)
    message = str(info.value)
    assert "at least two groups" in message and "A紙" in message and "by='period'" in message
    with pytest.raises(TooFewGroupsError, match="at least two groups"):
        correspondence_analysis(pd.DataFrame({"A紙": [3, 1, 2]}, index=["規制", "景気", "政府"]))
