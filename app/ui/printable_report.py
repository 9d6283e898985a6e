"""The printable report: the dashboard's figures and tables on paper, as one self-contained HTML file or a PDF.

The figures are :func:`app.ui.report_figures.figures` in the print palette (black, greys, hatching and
value labels, so a black-and-white printer loses nothing), each chart rendered to a PNG on the GUI thread
and set above the table of the numbers it draws. The HTML embeds the PNGs as ``data:`` URIs; the PDF is
laid out with Qt's own :class:`QTextDocument` on a :class:`QPdfWriter` (no other dependency), one figure
block at a time so a page break never falls between a chart and its table. Every file is written
through :mod:`app.core.atomic_file`.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCharts import QChart
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QLocale, QMargins, QMarginsF, QRectF, QSize, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QImageWriter,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QStandardItemModel,
    QTextDocument,
)
from PySide6.QtWidgets import QGraphicsScene

from app.core.atomic_file import write_bytes_atomic
from app.core.errors import ReportError
from app.services.report import NOTHING_SAT, ReportData, report_format
from app.ui.report_figures import Figure, figures
from app.ui.widgets.charts import PRINT

PAGE_SIZES = {"a4": QPageSize.PageSizeId.A4, "letter": QPageSize.PageSizeId.Letter}
"""The paper a PDF is laid out on (``--page``; by default the locale's, see :func:`default_page_size`)."""
CHART_WIDTH = 680
"""A chart's width in CSS pixels: the text width of an A4 page with 15 mm margins at 96 dpi."""
MAX_CHART_HEIGHT = 860
"""No chart is taller than most of a page (a long category list gets thinner bars instead)."""
IMAGE_SCALE = 2
"""Charts are rendered at twice their size, so they print sharp (about 190 dpi)."""
MARGIN_MM = 15.0
PDF_DPI = 96
"""The PDF's layout unit is the CSS pixel, so the HTML and the PDF are laid out alike (text stays vector)."""

STYLE = """
body { font-family: sans-serif; color: #000; background: #fff; max-width: 720px; margin: 0 auto; }
h1 { font-size: 18pt; margin: 0 0 6px 0; }
h2 { font-size: 13pt; margin: 14px 0 4px 0; }
table { border-collapse: collapse; margin: 4px 0 10px 0; }
th, td { border: 1px solid #000; padding: 2px 6px; font-size: 9pt; }
th { background: #e0e0e0; text-align: left; }
td.n { text-align: right; }
table.heading td { border: none; padding: 1px 8px 1px 0; font-size: 10pt; }
p.empty { font-style: italic; }
.figure { page-break-inside: avoid; break-inside: avoid; }
img { max-width: 100%; height: auto; }
@page { margin: 15mm; }
"""


def default_page_size() -> str:
    """ "letter" where the locale measures in US units, else "a4"."""
    return "letter" if QLocale().measurementSystem() == QLocale.MeasurementSystem.ImperialUSSystem else "a4"


@dataclass(frozen=True)
class RenderedFigure:
    """A figure ready for paper: its chart as PNG bytes (or none), and its table as text."""

    name: str
    title: str
    png: bytes | None
    height: int
    headers: tuple[str, ...]
    rows: tuple[tuple[tuple[str, bool], ...], ...]
    """Each cell's text and whether it is a number (right-aligned)."""
    empty: str


def chart_png(chart: QChart, width: int, height: int, scale: int = IMAGE_SCALE) -> bytes:
    """``chart`` drawn ``width`` × ``height`` (at ``scale`` times the pixels) on white, as PNG bytes.

    GUI thread only: a chart is a graphics widget.
    """
    scene = QGraphicsScene()
    scene.addItem(chart)
    chart.setGeometry(QRectF(0, 0, width, height))
    layout = chart.layout()
    if layout is not None:
        layout.activate()  # lay the chart out now, not on a later turn of the event loop
    image = QImage(QSize(width * scale, height * scale), QImage.Format.Format_RGB32)
    image.setDevicePixelRatio(scale)
    image.fill(QColor("#ffffff"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    scene.render(painter, QRectF(0, 0, width, height), QRectF(0, 0, width, height))
    painter.end()
    scene.removeItem(chart)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    QImageWriter(buffer, QByteArray(b"PNG")).write(image)
    buffer.close()
    return bytes(data.data())


def _table_text(model: QStandardItemModel | None) -> tuple[tuple[str, ...], tuple[tuple[tuple[str, bool], ...], ...]]:
    if model is None:
        return (), ()
    headers = tuple(str(model.headerData(c, Qt.Orientation.Horizontal)) for c in range(model.columnCount()))
    rows = tuple(
        tuple(
            (model.item(r, c).text(), model.item(r, c).data(Qt.ItemDataRole.UserRole) is not None)
            for c in range(model.columnCount())
        )
        for r in range(model.rowCount())
    )
    return headers, rows


def render_figure(figure: Figure) -> RenderedFigure:
    """Render one figure's chart (GUI thread) and copy its table's text."""
    height = min(figure.height, MAX_CHART_HEIGHT)
    png = None
    if figure.chart is not None:
        figure.chart.setTitle("")  # the heading above it says it once
        figure.chart.setMargins(QMargins(4, 4, 4, 4))
        png = chart_png(figure.chart, CHART_WIDTH, height)
    headers, rows = _table_text(figure.table)
    return RenderedFigure(figure.name, figure.title, png, height, headers, rows, figure.empty)


def report_figures(data: ReportData) -> Iterable[Figure]:
    """The figures a report draws, in the print palette (none when nothing was sat)."""
    return () if data.empty else figures(data.board, PRINT)


# -- HTML ---------------------------------------------------------------------------------------
def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.0f}%"


def heading_html(data: ReportData, page: str) -> str:
    """The title, scope, dates, packs and generation time, and the score line."""
    h = data.heading
    rows = [
        ("Scope", h.scope),
        ("Dates", h.dates),
        ("Packs", ", ".join(h.packs) if h.packs else "—"),
        ("Generated", h.generated.strftime("%Y-%m-%d %H:%M %Z").strip()),
        ("Paper", page.upper() if page == "a4" else page.title()),
    ]
    cells = "".join(f"<tr><td><b>{_e(k)}</b></td><td>{_e(v)}</td></tr>" for k, v in rows)
    out = f"<h1>Blocksim report: {_e(h.scope)}</h1><table class='heading'>{cells}</table>"
    if data.empty:
        return out + (
            f"<p><b>{NOTHING_SAT}.</b> Sit a block or an exam day (or widen the dates or the pack), "
            "then save the report again.</p>"
        )
    a = data.board.analysis
    pace = "untimed" if a.pace_s is None else f"pace {a.pace_s:.0f} s per item"
    return out + (
        f"<p><b>{a.total.k} of {a.total.n} correct ({_pct(a.total.estimate)})</b>, 95 % interval "
        f"{_pct(a.total.low)}–{_pct(a.total.high)} · {len(a.session_ids)} block(s) · {pace} · "
        f"{a.answered} answered</p>"
    )


def figure_html(figure: RenderedFigure, src: str | None) -> str:
    """One figure: its title, its chart (``src`` the image's address) and the table of its numbers."""
    parts = [f"<h2>{_e(figure.title)}</h2>"]
    if src is not None:
        parts.append(
            f"<p><img src='{src}' width='{CHART_WIDTH}' height='{figure.height}' alt='{_e(figure.title)}'></p>"
        )
    if figure.rows:
        head = "".join(f"<th>{_e(h)}</th>" for h in figure.headers)
        body = "".join(
            "<tr>"
            + "".join(f"<td class='n' align='right'>{_e(t)}</td>" if n else f"<td>{_e(t)}</td>" for t, n in row)
            + "</tr>"
            for row in figure.rows
        )
        parts.append(
            f"<table border='1' cellspacing='0' cellpadding='3'><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table>"
        )
    elif figure.empty:
        parts.append(f"<p class='empty'>{_e(figure.empty)}</p>")
    return f"<div class='figure'>{''.join(parts)}</div>"


def report_html(data: ReportData, rendered: list[RenderedFigure], page: str) -> str:
    """The whole report as one self-contained HTML page (charts as base64 PNGs)."""
    body = [heading_html(data, page)]
    for figure in rendered:
        src = None if figure.png is None else "data:image/png;base64," + base64.b64encode(figure.png).decode("ascii")
        body.append(figure_html(figure, src))
    size = "A4" if page == "a4" else "letter"
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        f"<title>Blocksim report: {_e(data.heading.scope)}</title>"
        f"<style>{STYLE}@page {{ size: {size}; }}</style></head>\n<body>\n" + "\n".join(body) + "\n</body></html>\n"
    )


# -- PDF ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Placed:
    page: int
    top: float
    document: QTextDocument
    clip: QRectF


def _document(fragment: str, width: float, images: dict[str, bytes], writer: QPdfWriter) -> QTextDocument:
    document = QTextDocument()
    document.documentLayout().setPaintDevice(writer)
    font = QFont("sans-serif")
    font.setPointSizeF(10)
    document.setDefaultFont(font)
    document.setDefaultStyleSheet(STYLE)
    document.setDocumentMargin(0)
    for name, png in images.items():
        document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), QImage.fromData(png))
    document.setHtml(fragment)
    document.setTextWidth(width)
    return document


def _layout(blocks: list[QTextDocument], width: float, height: float) -> list[_Placed]:
    """Where each block goes: on the current page if it fits, else on a new one; a block taller than a
    page runs over pages, broken between table rows (``QTextDocument`` paginates when given a page size)."""
    placed: list[_Placed] = []
    page, top = 0, 0.0
    for document in blocks:
        needed = document.size().height()
        if top + needed <= height:
            placed.append(_Placed(page, top, document, QRectF(0, 0, width, needed)))
            top += needed
            continue
        if top > 0:
            page, top = page + 1, 0.0
        if needed <= height:
            placed.append(_Placed(page, 0.0, document, QRectF(0, 0, width, needed)))
            top = needed
            continue
        document.setPageSize(QSizeF(width, height))
        pages = document.pageCount()
        for index in range(pages):
            placed.append(_Placed(page + index, -index * height, document, QRectF(0, index * height, width, height)))
        page += pages - 1
        top = document.size().height() - (pages - 1) * height
    return placed


def report_pdf(data: ReportData, rendered: list[RenderedFigure], page: str) -> tuple[bytes, int]:
    """The report as PDF bytes on ``page`` paper ("a4" or "letter"), and its number of pages."""
    if page not in PAGE_SIZES:
        raise ReportError(f"unknown paper {page!r}; choose one of: {', '.join(PAGE_SIZES)}")
    content = QByteArray()
    buffer = QBuffer(content)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(PDF_DPI)
    writer.setTitle(f"Blocksim report: {data.heading.scope}")
    writer.setCreator("Blocksim")
    writer.setPageLayout(
        QPageLayout(
            QPageSize(PAGE_SIZES[page]),
            QPageLayout.Orientation.Portrait,
            QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM + 4),
            QPageLayout.Unit.Millimeter,
        )
    )
    area = writer.pageLayout().paintRectPixels(PDF_DPI)
    width, height = float(area.width()), float(area.height())
    blocks = [_document(heading_html(data, page), width, {}, writer)]
    for index, figure in enumerate(rendered):
        name = f"figure-{index}.png"
        images = {name: figure.png} if figure.png is not None else {}
        blocks.append(_document(figure_html(figure, name if figure.png is not None else None), width, images, writer))
    placed = _layout(blocks, width, height)
    pages = placed[-1].page + 1
    painter = QPainter(writer)
    footer_area = QRectF(0, 0, width, height)
    current = 0
    for where in placed:
        while current < where.page:
            _footer(painter, data.heading.scope, current, pages, footer_area)
            writer.newPage()
            current += 1
        painter.save()
        painter.translate(0, where.top)
        where.document.drawContents(painter, where.clip)
        painter.restore()
    _footer(painter, data.heading.scope, current, pages, footer_area)
    painter.end()
    buffer.close()
    return bytes(content.data()), pages


def _footer(painter: QPainter, scope: str, page: int, pages: int, area: QRectF) -> None:
    painter.save()
    font = QFont("sans-serif")
    font.setPointSizeF(8)
    painter.setFont(font)
    painter.setPen(QColor("#000000"))
    text = f"Blocksim report · {scope} · page {page + 1} of {pages}"
    painter.drawText(QRectF(0, area.height() + 4, area.width(), 16), Qt.AlignmentFlag.AlignLeft, text)
    painter.restore()


# -- writing ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SavedReport:
    """Where a report went, in which format, and (for a PDF) on how many pages."""

    path: Path
    format: str
    pages: int | None


def encode_report(data: ReportData, rendered: list[RenderedFigure], path: Path, page: str) -> tuple[bytes, int | None]:
    """The bytes of the report for ``path``'s format (and the PDF's page count)."""
    if report_format(path) == "pdf":
        return report_pdf(data, rendered, page)
    return report_html(data, rendered, page).encode("utf-8"), None


def write_report(data: ReportData, rendered: list[RenderedFigure], path: Path, page: str) -> SavedReport:
    """Lay out the rendered figures and write the report to ``path`` atomically (safe on a worker thread)."""
    content, pages = encode_report(data, rendered, path, page)
    write_bytes_atomic(path, content)
    return SavedReport(Path(path), report_format(path), pages)


def save_report(
    data: ReportData,
    path: Path,
    page: str | None = None,
    render: Callable[[Figure], RenderedFigure] = render_figure,
) -> SavedReport:
    """Render every figure and write the report to ``path`` (.html or .pdf) atomically, all at once."""
    report_format(path)
    rendered = [render(figure) for figure in report_figures(data)]
    return write_report(data, rendered, path, page or default_page_size())


def save_with_application(data: ReportData, path: Path, page: str | None = None) -> SavedReport:
    """:func:`save_report` from the command line: makes the QApplication charts need, if there is none yet.

    Qt's own messages (e.g. a display that cannot be reached, before the offscreen fallback) go to the log.
    """
    from PySide6.QtWidgets import QApplication

    from app.ui.qt_messages import install_qt_message_handler

    restore = install_qt_message_handler()
    try:
        app = QApplication.instance() or QApplication(["blocksim"])
        saved = save_report(data, path, page)
        del app
    finally:
        restore()
    return saved
