"""What a municipality map is coloured by: a count of the headline metric, or a share of a
target (the «Цели» tab's quotas, or a target «every organisation …» of the campaign file)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from campaign import russian
from campaign.pipeline import Report


@dataclass(frozen=True)
class Measure:
    id: str  # "count", "quota" or a share target's id
    label: str  # for the chooser and the caption under the map
    metric: str  # the metric counted
    by_share: bool
    values: pd.DataFrame  # by uid: value, base (NaN without one), share (NaN without a base)

    def of(self, uid: str) -> tuple[int, int | None, float | None]:
        """(value, base, share) of one municipality; base and share None where there is none."""
        if uid not in self.values.index:
            return 0, None, None
        row = self.values.loc[uid]
        base = None if pd.isna(row["base"]) else int(row["base"])
        share = None if pd.isna(row["share"]) else float(row["share"])
        return int(row["value"]), base, share

    def label_text(self, uid: str) -> str:
        """A municipality's figure on the map: «72 %» of its own organisations, «3 из 5» of its
        quota, «3» of a count; «—» where there is nothing to share of."""
        value, base, share = self.of(uid)
        if self.id in ("quota", "count"):
            return russian.out_of(value, base)
        return "—" if share is None else russian.percent(share)


def map_measures(report: Report) -> list[Measure]:
    """The ways to colour the map, the default first: shares of targets where there are any."""
    campaign = report.campaign
    table = report.municipalities.set_index("uid")
    headline = campaign.headline
    measures = []
    if campaign.quota is not None and "quota" in table and table["quota"].notna().any():
        tab = campaign.tab(campaign.quota.tab).name
        metric = campaign.metric(campaign.quota.metric)
        measures.append(_measure("quota", f"Доля цели: {metric.heading.lower()} (лист «{tab}»)", metric.id,
                                 table, table["quota"]))
    for target in campaign.targets:
        if target.share_of is not None:
            base = table[target.share_of].where(table[target.share_of] > 0)
            measures.append(_measure(target.id, target.label, target.metric, table, base))
    measures.append(_measure("count", headline.label, headline.id, table, None))
    return measures


def _measure(measure_id: str, label: str, metric: str, table: pd.DataFrame, base: pd.Series | None) -> Measure:
    values = pd.DataFrame({"value": table[metric].astype("int64")}, index=table.index)
    if base is None:
        values["base"] = float("nan")
        values["share"] = float("nan")
    else:
        values["base"] = base.astype("float64")
        values["share"] = (values["value"] / values["base"]).astype("float64")
    return Measure(measure_id, label, metric, base is not None, values)
