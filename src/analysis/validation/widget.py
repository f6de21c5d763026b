"""Label a sheet in JupyterLab: one unit at a time, four buttons, saved after every click.

    from analysis.validation.widget import labelling_widget
    labelling_widget("data/annotation/annotation_輸出規制_document_SXXXXXXX_coderA.xlsx")

The widget shows the unit (the sentence, or the editorial with the sentences naming the target)
with its newspaper, date, headline and context, and the buttons FAVOR, AGAINST, NONE and skip
(written as SKIP: the coder could not decide; such units are counted, not used), plus "back" to
revise the previous unit. Every click writes the whole sheet again atomically (``analysis.io``),
in its own format (.csv with BOM or .xlsx with its drop-down), so closing the notebook loses
nothing; opening the same sheet again resumes at the first unit without a label. The same sheet
can be finished or corrected in a spreadsheet, and the widget picks up from there.

:class:`LabellingSession` is the logic without any display (what the buttons call); the notebook
08 and the tests use it directly.
"""

from __future__ import annotations

import html
from pathlib import Path

from analysis.errors import InputError
from analysis.validation.sheets import SHEET_LABELS, SKIP, check_answers, read_sheet, write_sheet_file


class LabellingSession:
    """A sheet being labelled: the current unit, ``label(value)``, ``back()``, saved on every change.

    ``autosave=False`` (a scripted coder, :func:`analysis.validation.demo.fill_sheet`) keeps the
    answers in memory until :meth:`save`; the file written then is the one the last click would write.
    """

    def __init__(self, path: str | Path, *, autosave: bool = True):
        self.path = Path(path)
        self.autosave = bool(autosave)
        frame = read_sheet(self.path)
        if "unit_id" not in frame.columns or "label" not in frame.columns:
            raise InputError(f"{self.path} is not a stance annotation sheet (needs unit_id and label columns); "
                             "write one with `analysis annotate`")
        frame["label"] = check_answers(frame, self.path, column="label", allowed=SHEET_LABELS)
        self.frame = frame.reset_index(drop=True)
        self.position = self._next_open(0)

    def _next_open(self, start: int) -> int:
        """The first unit without a label from ``start`` on, else the first before it, else the end."""
        open_rows = (self.frame["label"] == "").to_numpy().nonzero()[0]
        later = open_rows[open_rows >= start]
        if len(later):
            return int(later[0])
        return int(open_rows[0]) if len(open_rows) else len(self.frame)

    @property
    def done(self) -> bool:
        return self.position >= len(self.frame)

    @property
    def progress(self) -> tuple[int, int]:
        """(units with a label, all units)."""
        return int((self.frame["label"] != "").sum()), len(self.frame)

    def current(self) -> dict | None:
        """The unit to label now (a dict of the sheet's columns), or None when every unit has a label."""
        return None if self.done else self.frame.iloc[self.position].to_dict()

    def label(self, value: str) -> None:
        """Record ``value`` (FAVOR, AGAINST, NONE or SKIP) for the current unit, save, move to the next open one."""
        value = str(value).strip().upper()
        if value not in SHEET_LABELS:
            raise ValueError(f"label {value!r} not one of {', '.join(SHEET_LABELS)}")
        if self.done:
            raise ValueError("every unit has a label; use back() to revise one")
        self.frame.at[self.position, "label"] = value
        if self.autosave:
            self.save()
        self.position = self._next_open(self.position + 1)

    def skip(self) -> None:
        self.label(SKIP)

    def back(self) -> None:
        """Show the previous unit again (its label can then be replaced)."""
        self.position = max(0, min(self.position, len(self.frame)) - 1)

    def save(self) -> None:
        from analysis.validation.annotate import INSTRUCTIONS

        write_sheet_file(self.frame.drop(columns=["_row"]), self.path, answer_column="label",
                         allowed=SHEET_LABELS, instructions=INSTRUCTIONS)


def unit_html(unit: dict) -> str:
    """The unit as HTML: meta line, context in grey, the unit itself in bold (all text escaped)."""
    esc = lambda x: html.escape(str(x or "")).replace("\n", "<br>")  # noqa: E731
    parts = [f"<div style='color:#555'>{esc(unit.get('source'))} · {esc(unit.get('date'))} · "
             f"対象 <b>{esc(unit.get('target'))}</b> · {esc(unit.get('unit_id'))}</div>",
             f"<h4 style='margin:4px 0'>{esc(unit.get('headline'))}</h4>"]
    if "sentence" in unit:
        parts.append(f"<p style='color:#777'>{esc(unit.get('context_before'))}</p>")
        parts.append(f"<p style='font-size:1.15em'><b>{esc(unit.get('sentence'))}</b></p>")
        parts.append(f"<p style='color:#777'>{esc(unit.get('context_after'))}</p>")
    else:
        parts.append(f"<p><b>{esc(unit.get('mentions'))}</b></p>")
        parts.append(f"<div style='max-height:22em;overflow:auto;border:1px solid #ddd;padding:6px'>"
                     f"{esc(unit.get('text'))}</div>")
    return "\n".join(parts)


def labelling_widget(path: str | Path):
    """An ipywidgets box labelling the sheet at ``path`` (see the module docstring)."""
    try:
        import ipywidgets as widgets
    except ImportError as exc:  # pragma: no cover - ipywidgets is a declared dependency
        from analysis.errors import MissingExtraError

        raise MissingExtraError("the labelling widget needs ipywidgets: pip install 'ipywidgets>=8.1,<9'") from exc

    session = LabellingSession(path)
    view = widgets.HTML()
    status = widgets.HTML()

    def refresh() -> None:
        done, total = session.progress
        status.value = f"<b>{done} / {total}</b> labelled · saved to {html.escape(str(session.path))}"
        unit = session.current()
        view.value = unit_html(unit) if unit is not None else "<p><b>Every unit has a label.</b> Use back to revise.</p>"

    def on_label(value):
        def handler(_button) -> None:
            if not session.done:
                session.label(value)
            refresh()
        return handler

    buttons = []
    for value, style in (("FAVOR", "success"), ("AGAINST", "danger"), ("NONE", "info"), ("SKIP", "")):
        button = widgets.Button(description=value if value != "SKIP" else "skip", button_style=style)
        button.on_click(on_label(value))
        buttons.append(button)
    back = widgets.Button(description="back", icon="arrow-left")

    def on_back(_button) -> None:
        session.back()
        refresh()

    back.on_click(on_back)
    refresh()
    box = widgets.VBox([status, view, widgets.HBox([*buttons, back])])
    box.session = session  # for notebooks and tests: the state behind the buttons
    return box


__all__ = ["LabellingSession", "labelling_widget", "unit_html"]
