"""Report tables: the one structure that the page, the chart and the XLSX and CSV exports all read.

Because the chart and the files are built from the rows the page shows,
they always show the same figures.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from accountwise.transfer.export.columns import Column, ColumnType
from accountwise.transfer.export.lists import Export, ListDefinition

# Chart kinds a table can be drawn as. "funnel" is a horizontal bar chart in stage order.
CHART_KINDS = ("bar", "line", "pie", "funnel")
TOTAL_LABEL = "Total"


@dataclass(frozen=True)
class TableColumn:
    header: str
    type: ColumnType = ColumnType.TEXT


@dataclass
class Table:
    """One table of a report: the first column names each row and the others contain its figures.

    `chart_columns` are the indexes of the columns the chart draws, and
    `links` contains an optional page address for each row's name.
    """

    name: str
    title: str
    columns: list[TableColumn]
    rows: list[list] = field(default_factory=list)
    totals: list | None = None
    links: list[str] = field(default_factory=list)
    chart: str = "bar"
    chart_columns: tuple[int, ...] = ()
    empty_message: str = "Nothing to show for this selection."
    description: str = ""
    # Rows the page leaves out; the totals and the downloads still hold them.
    hidden_count: int = 0

    @property
    def has_chart(self) -> bool:
        return bool(self.chart in CHART_KINDS and self.chart_columns and self.rows)

    @property
    def chart_id(self) -> str:
        return f"chart-{self.name}"

    @property
    def data_id(self) -> str:
        return f"chart-data-{self.name}"

    def display_rows(self) -> Iterator[tuple[str, list[tuple]]]:
        """Yield each row's link ("" for none) and its (value, column) pairs."""
        for index, row in enumerate(self.rows):
            link = self.links[index] if index < len(self.links) else ""
            yield link, list(zip(row, self.columns))

    def display_totals(self) -> list[tuple]:
        return list(zip(self.totals or [], self.columns))

    def chart_data(self) -> dict:
        """Return what reports/charts.js draws: labels, and one series per charted column.

        Amounts travel as strings so no digit is lost; the script converts them.
        """
        return {
            "kind": self.chart,
            "labels": [str(row[0]) for row in self.rows],
            "datasets": [
                {
                    "label": self.columns[index].header,
                    "format": str(self.columns[index].type),
                    "data": [_chart_number(row[index]) for row in self.rows],
                }
                for index in self.chart_columns
            ],
        }

    def export(self, subject: str = "") -> "TableExport":
        definition = ListDefinition(
            name=f"report-{self.name}",
            title=self.title,
            columns=tuple(Column(column.header, "", column.type) for column in self.columns),
        )
        rows = list(self.rows)
        if self.totals is not None:
            rows.append([TOTAL_LABEL, *self.totals[1:]])
        return TableExport(definition=definition, rows=rows, subject=subject)


def _chart_number(value) -> str | int | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return str(value)
    return value


@dataclass
class TableExport(Export):
    """An export of a report table, whose rows are already computed rather than a queryset.

    Percent columns hold percentages such as 62.5 on the page; the writers
    expect the fraction 0.625, so they are divided here.
    """

    def records(self) -> Iterator[list]:
        self.row_count = 0
        types = [column.type for column in self.definition.columns]
        for row in self.rows:
            self.row_count += 1
            yield [_export_value(value, column_type) for value, column_type in zip(row, types)]


def _export_value(value, column_type: ColumnType):
    if value is not None and column_type == ColumnType.PERCENT:
        return Decimal(value) / 100
    return value
