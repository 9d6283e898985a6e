"""Renders one question: stem with highlights, exhibits, lead-in, options and explanations.

Used by the block screen (while sitting) and the review screen (after the block).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QImage, QPixmap, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.core.pack_format import LABELS, Question
from app.core.scoring import ItemState
from app.ui.widgets.option_row import OptionRow

MediaLoader = Callable[[str, str], bytes | None]
HIGHLIGHT_COLOR = QColor("#fff176")
NO_EXPLANATION = "No explanation provided."


def explanation_html(question: Question, state: ItemState | None, *, show_keywords: bool = True) -> str:
    """The answer, every option's explanation, the objective and (in review) the user's work."""
    parts = [f"<h3>Correct answer: {question.answer}. {html.escape(question.option(question.answer).text)}</h3>"]
    if state is not None:
        yours = state.answer or "none (unanswered)"
        verdict = "correct" if state.answer == question.answer else "incorrect"
        parts.append(f"<p><b>Your answer:</b> {html.escape(yours)} ({verdict})")
        if state.changed_count:
            trail = " → ".join(label or "cleared" for label in state.answer_changes)
            parts.append(f"<br><b>Answer changes:</b> {html.escape(trail)}")
        if state.struck:
            parts.append(f"<br><b>You struck out:</b> {', '.join(sorted(state.struck))}")
        parts.append(f"<br><b>Time on item:</b> {state.seconds:.0f} s in {state.visits} visit(s)</p>")
        if state.note:
            parts.append(f"<p><b>Your note:</b> {html.escape(state.note)}</p>")
    parts.append(f"<p>{html.escape(question.explanation or NO_EXPLANATION)}</p>")
    parts.append("<table cellspacing=4>")
    for option in question.options:
        mark = "✓" if option.label == question.answer else "✗"
        text = html.escape(option.explanation or NO_EXPLANATION)
        parts.append(
            f"<tr><td valign=top><b>{mark} {option.label}.</b></td><td valign=top><i>{html.escape(option.text)}</i>"
            f"<br>{text}</td></tr>"
        )
    parts.append("</table>")
    if question.objective:
        parts.append(f"<p><b>Educational objective:</b> {html.escape(question.objective)}</p>")
    if show_keywords and question.keywords:
        words = ", ".join(f"“{html.escape(k)}”" for k in question.keywords)
        parts.append(f"<p><b>Decisive words in the stem</b> (underlined above): {words}</p>")
    return "".join(parts)


class QuestionView(QScrollArea):
    """The scrollable question area.

    Signals:
        option_chosen(str): an option was left-clicked.
        option_strike_toggled(str): an option was right-clicked.
        exhibit_opened(int): an exhibit thumbnail was clicked (its index in ``question.media``).
    """

    option_chosen = Signal(str)
    option_strike_toggled = Signal(str)
    exhibit_opened = Signal(int)

    def __init__(self, media_loader: MediaLoader, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("questionView")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self._media_loader = media_loader
        self._question: Question | None = None
        self._pack_id = ""
        body = QWidget(self)
        body.setObjectName("questionBody")
        self._body = body
        self._layout = QVBoxLayout(body)
        self._layout.setContentsMargins(24, 18, 24, 18)
        self._layout.setSpacing(12)
        self.stem = QTextBrowser(body)
        self.stem.setObjectName("stem")
        self.stem.setFrameShape(QFrame.Shape.NoFrame)
        self.stem.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.stem.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.stem.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.stem.document().contentsChanged.connect(self._fit_stem)
        self._exhibits = QHBoxLayout()
        self._exhibits.setSpacing(8)
        self.lead_in = QLabel(body)
        self.lead_in.setObjectName("leadIn")
        self.lead_in.setWordWrap(True)
        self.lead_in.setTextFormat(Qt.TextFormat.PlainText)
        self._options_box = QVBoxLayout()
        self._options_box.setSpacing(2)
        self.explanation = QTextBrowser(body)
        self.explanation.setObjectName("explanation")
        self.explanation.setOpenLinks(False)
        self.explanation.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.explanation.document().contentsChanged.connect(self._fit_explanation)
        self.explanation.hide()
        self._layout.addWidget(self.stem)
        self._layout.addLayout(self._exhibits)
        self._layout.addWidget(self.lead_in)
        self._layout.addLayout(self._options_box)
        self._layout.addWidget(self.explanation)
        self._layout.addStretch(1)
        self.setWidget(body)
        self.option_rows: list[OptionRow] = []
        self._row_pool: list[OptionRow] = []
        self.exhibit_buttons: list[QPushButton] = []
        self._thumbnails: dict[tuple[str, str], QPixmap | None] = {}

    # -- content -----------------------------------------------------------------------
    def show_question(self, question: Question, pack_id: str) -> None:
        """Lay out a new question (options, exhibits) and scroll to the top."""
        self._question = question
        self._pack_id = pack_id
        self.stem.setPlainText(question.stem)
        self.lead_in.setText(question.lead_in or "")
        self.lead_in.setVisible(bool(question.lead_in))
        # Rows are pooled: creating and styling widgets for every item would cost a frame.
        while len(self._row_pool) < len(question.options):
            row = OptionRow(LABELS[len(self._row_pool)], "", self._body)
            row.chosen.connect(self.option_chosen)
            row.strike_toggled.connect(self.option_strike_toggled)
            self._options_box.addWidget(row)
            self._row_pool.append(row)
        for row, option in zip(self._row_pool, question.options, strict=False):
            row.set_text(option.text)
            row.show()
        for row in self._row_pool[len(question.options) :]:
            row.hide()
        self.option_rows = self._row_pool[: len(question.options)]
        self._show_exhibits(question)
        self.explanation.hide()
        self.verticalScrollBar().setValue(0)

    def _show_exhibits(self, question: Question) -> None:
        while self._exhibits.count():
            item = self._exhibits.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()  # at once: deleteLater waits for the event loop
                widget.deleteLater()
        self.exhibit_buttons = []
        for index, media in enumerate(question.media):
            button = QPushButton(self._body)
            button.setObjectName("exhibit")
            thumb = self._thumbnail(media.file)
            if thumb is None:
                button.setText(f"Exhibit {index + 1} (missing)")
                button.setEnabled(False)
            else:
                button.setIcon(QIcon(thumb))
                button.setIconSize(QSize(thumb.width(), thumb.height()))
                button.setToolTip(f"{media.caption or 'Exhibit'} (click to enlarge, zoom and adjust contrast)")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(partial(self.exhibit_opened.emit, index))
            self._exhibits.addWidget(button)
            self.exhibit_buttons.append(button)
        if question.media:
            self._exhibits.addStretch(1)

    def prefetch(self, question: Question, pack_id: str) -> None:
        """Decode a coming question's exhibits now, so showing it costs no decoding."""
        for media in question.media:
            self._thumbnail(media.file, pack_id)

    def _thumbnail(self, file: str, pack_id: str | None = None) -> QPixmap | None:
        pack = pack_id if pack_id is not None else self._pack_id
        key = (pack, file)
        if key not in self._thumbnails:
            data = self._media_loader(pack, file)
            image = QImage.fromData(data) if data else QImage()
            self._thumbnails[key] = (
                None
                if image.isNull()
                else QPixmap.fromImage(image).scaled(
                    360, 160, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
                )
            )
        return self._thumbnails[key]

    def show_state(self, state: ItemState, *, reveal: bool, show_keywords: bool = False) -> None:
        """Show the user's answer, strike-outs, highlights; with ``reveal``, right/wrong and explanations."""
        question = self._question
        if question is None:
            return
        for row in self.option_rows:
            verdict = None
            if reveal:
                if row.label == question.answer:
                    verdict = "correct"
                elif row.label == state.answer:
                    verdict = "incorrect"
            row.set_state(selected=row.label == state.answer, struck=row.label in state.struck, verdict=verdict)
        self._paint_highlights(state, question.keywords if reveal and show_keywords else [])
        if reveal:
            self.explanation.setHtml(explanation_html(question, state, show_keywords=show_keywords))
            self.explanation.show()
            self._fit_explanation()
        else:
            self.explanation.hide()

    def _paint_highlights(self, state: ItemState, keywords: list[str]) -> None:
        document = self.stem.document()
        cursor = QTextCursor(document)
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.setCharFormat(QTextCharFormat())
        length = document.characterCount() - 1
        fmt = QTextCharFormat()
        fmt.setBackground(HIGHLIGHT_COLOR)
        fmt.setForeground(QColor("#111111"))
        for mark in state.highlights:
            start, end = max(0, mark.start), min(length, mark.end)
            if end <= start:
                continue
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            cursor.mergeCharFormat(fmt)
        # After the answer is revealed, the decisive words are underlined so a missed keyword shows.
        keyword_format = QTextCharFormat()
        keyword_format.setFontUnderline(True)
        keyword_format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
        keyword_format.setUnderlineColor(QColor("#2f6fdf"))
        text = document.toPlainText()
        for keyword in keywords:
            start = text.find(keyword)
            while start >= 0:
                cursor.setPosition(start)
                cursor.setPosition(start + len(keyword), QTextCursor.MoveMode.KeepAnchor)
                cursor.mergeCharFormat(keyword_format)
                start = text.find(keyword, start + len(keyword))
        self.stem.setTextCursor(QTextCursor(document))

    def selected_range(self) -> tuple[int, int] | None:
        """The stem's selected character range, if any."""
        cursor = self.stem.textCursor()
        if not cursor.hasSelection():
            return None
        return cursor.selectionStart(), cursor.selectionEnd()

    def select_range(self, start: int, end: int) -> None:
        """Select stem text (used by tests and by keyboard selection)."""
        cursor = QTextCursor(self.stem.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        self.stem.setTextCursor(cursor)

    def _fit_explanation(self) -> None:
        document = self.explanation.document()
        document.setTextWidth(self.explanation.viewport().width())
        self.explanation.setFixedHeight(int(document.size().height()) + 16)

    def _fit_stem(self) -> None:
        document = self.stem.document()
        document.setTextWidth(self.stem.viewport().width())
        height = int(document.size().height()) + 8
        if height != self.stem.height():
            self.stem.setFixedHeight(height)

    def resizeEvent(self, event: object) -> None:  # noqa: N802 (Qt override)
        """Keep the stem exactly as tall as its text."""
        super().resizeEvent(event)  # type: ignore[arg-type]
        self._fit_stem()
        if self.explanation.isVisible():
            self._fit_explanation()

    def set_point_size(self, size: float) -> None:
        """The font size of the question text (a stylesheet rule, so it also reaches styled labels)."""
        self._body.setStyleSheet(f"#questionBody QLabel, #questionBody QTextBrowser {{ font-size: {size:.1f}pt; }}")
        font = self.stem.document().defaultFont()
        font.setPointSizeF(size)
        self.stem.document().setDefaultFont(font)
        self._fit_stem()
