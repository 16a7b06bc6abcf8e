"""The filter bar: period (from / to month), platform, industry, station,
region. Emits ``changed`` with a StatsFilter a moment after the last edit."""
from __future__ import annotations

from PySide6.QtCore import QDate, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLabel, QPushButton, QWidget

from claims.enums import Industry
from claims.i18n import _
from claims.stats import StatsFilter


class FilterBar(QWidget):
    changed = Signal(object)

    def __init__(self, choices: dict, period: tuple[str, str], *, fixed_platform: str | None = None,
                 fixed_station: str | None = None, parent=None):
        super().__init__(parent)
        self.choices = choices
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.month_from = self._month_edit(period[0], _("起始月份"))
        self.month_to = self._month_edit(period[1], _("截止月份"))
        self.platform = self._combo(_("平台"), [(_("全部平台"), None)] + [(n, i) for i, n in choices["platforms"]])
        self.industry = self._combo(_("行业"), [(_("全部行业"), None)] + [(i.label, i.value) for i in Industry])
        self.station = self._combo(_("站点"), [])
        self.region = self._combo(_("地区"), [(_("全部地区"), None)] + [(r, r) for r, _l in choices["regions"]])
        self._fill_stations()
        for label, w in ((_("期间"), self.month_from), ("—", self.month_to), (_("平台"), self.platform),
                         (_("行业"), self.industry), (_("站点"), self.station), (_("地区"), self.region)):
            lay.addWidget(QLabel(label))
            lay.addWidget(w)
        self.reset_btn = QPushButton(_("清除筛选"))
        self.reset_btn.clicked.connect(self.reset)
        lay.addWidget(self.reset_btn)
        lay.addStretch(1)
        if fixed_platform:
            self._select(self.platform, fixed_platform)
            self.platform.setEnabled(False)
            self._fill_stations()
        if fixed_station:
            self._select(self.station, fixed_station)
            self.station.setEnabled(False)
        self._debounce = QTimer(self, singleShot=True, interval=200)
        self._debounce.timeout.connect(lambda: self.changed.emit(self.value()))
        for w in (self.month_from, self.month_to):
            w.dateChanged.connect(self._debounce.start)
        for w in (self.industry, self.station, self.region):
            w.currentIndexChanged.connect(self._debounce.start)
        self.platform.currentIndexChanged.connect(self._platform_changed)

    def set_industries(self) -> None:
        """Offer the industries as they now stand (an administrator may have added one)."""
        keep = self.industry.currentData()
        self.industry.blockSignals(True)
        self.industry.clear()
        for text, data in [(_("全部行业"), None)] + [(i.label, i.value) for i in Industry]:
            self.industry.addItem(text, data)
        self._select(self.industry, keep)
        self.industry.blockSignals(False)

    def _month_edit(self, month: str, name: str) -> QDateEdit:
        w = QDateEdit(QDate(int(month[:4]), int(month[5:7]), 1))
        w.setDisplayFormat("yyyy-MM")
        w.setAccessibleName(name)
        w.setCalendarPopup(False)
        return w

    @staticmethod
    def _combo(name: str, items) -> QComboBox:
        box = QComboBox()
        box.setAccessibleName(name)
        box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for text, data in items:
            box.addItem(text, data)
        return box

    @staticmethod
    def _select(box: QComboBox, data) -> None:
        i = box.findData(data)
        if i >= 0:
            box.setCurrentIndex(i)

    def _fill_stations(self) -> None:
        pid = self.platform.currentData()
        keep = self.station.currentData()
        self.station.blockSignals(True)
        self.station.clear()
        self.station.addItem(_("全部站点"), None)
        for sid, name, spid, pname in self.choices["stations"]:
            if pid is None or spid == pid:
                self.station.addItem(name if pid else f"{pname} {name}", sid)
        self._select(self.station, keep)
        self.station.blockSignals(False)

    def _platform_changed(self) -> None:
        self._fill_stations()
        self._debounce.start()

    @staticmethod
    def _month(w: QDateEdit) -> str:
        d = w.date()
        return f"{d.year():04d}-{d.month():02d}"

    def value(self) -> StatsFilter:
        a, b = sorted([self._month(self.month_from), self._month(self.month_to)])
        return StatsFilter(a, b, platform_id=self.platform.currentData(), industry=self.industry.currentData(),
                           station_id=self.station.currentData(), region=self.region.currentData())

    def reset(self) -> None:
        for box in (self.platform, self.industry, self.station, self.region):
            if box.isEnabled():
                box.setCurrentIndex(0)
