"""Exports of the database: Parquet, JSON Lines, CSV per table, and GDELT 2.0 event files.

The GDELT export writes ``events.export.tsv``: tab-separated, no header, the 61
columns of the GDELT 2.0 Event table in their order (``GDELT_COLUMNS``), one row
per ``event_groups`` row. Columns warta cannot fill are empty. Differences from
GDELT, on purpose: country codes are ISO 3166-1 alpha-3 (GDELT's Actor*CountryCode
is CAMEO's, which is also ISO3-based; its *Geo_CountryCode is FIPS 10-4, which warta
does not use); GlobalEventID is a stable 63-bit hash of the group key, not a counter.
"""

from __future__ import annotations

import csv
from pathlib import Path

from warta.store import TABLES, Store

GDELT_COLUMNS = [
    "GlobalEventID", "Day", "MonthYear", "Year", "FractionDate",
    "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1KnownGroupCode", "Actor1EthnicCode",
    "Actor1Religion1Code", "Actor1Religion2Code", "Actor1Type1Code", "Actor1Type2Code", "Actor1Type3Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2KnownGroupCode", "Actor2EthnicCode",
    "Actor2Religion1Code", "Actor2Religion2Code", "Actor2Type1Code", "Actor2Type2Code", "Actor2Type3Code",
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    "Actor1Geo_Type", "Actor1Geo_FullName", "Actor1Geo_CountryCode", "Actor1Geo_ADM1Code", "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat", "Actor1Geo_Long", "Actor1Geo_FeatureID",
    "Actor2Geo_Type", "Actor2Geo_FullName", "Actor2Geo_CountryCode", "Actor2Geo_ADM1Code", "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat", "Actor2Geo_Long", "Actor2Geo_FeatureID",
    "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code", "ActionGeo_ADM2Code",
    "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID",
    "DATEADDED", "SOURCEURL",
]

_GDELT_SQL = """
SELECT group_id, date, cameo, quad_class, goldstein, num_mentions, num_sources, num_articles,
       actor1_code, actor1_name, actor1_key, actor2_code, actor2_name, actor2_key,
       location_name, location_country, lat, lon, source_url
FROM event_groups ORDER BY date, group_id
"""


def _country_of(code: str | None) -> str:
    return code[:3] if code and len(code) >= 3 and code[:3].isalpha() and not code.startswith("IGO") else ""


def _type_of(code: str | None) -> str:
    return code[3:6] if code and len(code) >= 6 else ""


def gdelt_rows(store: Store) -> list[list[str]]:
    cols, rows = store.query(_GDELT_SQL)
    out = []
    for r in rows:
        g = dict(zip(cols, r, strict=True))
        day = g["date"].strftime("%Y%m%d") if g["date"] else ""
        cameo = g["cameo"] or ""
        a1 = g["actor1_code"] or g["actor1_key"] or ""
        a2 = g["actor2_code"] or g["actor2_key"] or ""
        row = dict.fromkeys(GDELT_COLUMNS, "")
        row.update({
            "GlobalEventID": str(int(g["group_id"][:15], 16)),
            "Day": day, "MonthYear": day[:6], "Year": day[:4],
            "FractionDate": f"{g['date'].year + (g['date'].timetuple().tm_yday - 1) / 365:.4f}" if g["date"] else "",
            "Actor1Code": a1, "Actor1Name": (g["actor1_name"] or "").upper(), "Actor1CountryCode": _country_of(a1),
            "Actor1Type1Code": _type_of(a1),
            "Actor2Code": a2, "Actor2Name": (g["actor2_name"] or "").upper(), "Actor2CountryCode": _country_of(a2),
            "Actor2Type1Code": _type_of(a2),
            "IsRootEvent": "1", "EventCode": cameo, "EventBaseCode": cameo[:3], "EventRootCode": cameo[:2],
            "QuadClass": "" if g["quad_class"] is None else str(g["quad_class"]),
            "GoldsteinScale": "" if g["goldstein"] is None else f"{g['goldstein']:.1f}",
            "NumMentions": str(g["num_mentions"]), "NumSources": str(g["num_sources"]),
            "NumArticles": str(g["num_articles"]),
            "ActionGeo_Type": "" if not g["location_name"] else ("1" if g["location_name"] and g["lat"] is None else "4"),
            "ActionGeo_FullName": g["location_name"] or "", "ActionGeo_CountryCode": g["location_country"] or "",
            "ActionGeo_Lat": "" if g["lat"] is None else f"{g['lat']:.4f}",
            "ActionGeo_Long": "" if g["lon"] is None else f"{g['lon']:.4f}",
            "DATEADDED": day + "000000" if day else "", "SOURCEURL": g["source_url"] or "",
        })
        out.append([row[c] for c in GDELT_COLUMNS])
    return out


def export(db: str | Path, out_dir: str | Path, fmt: str) -> list[Path]:
    """Write the database's tables (or GDELT events) into ``out_dir``; returns the files written."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with Store(db, read_only=True) as store:
        if fmt == "gdelt":
            f = out / "events.export.tsv"
            with open(f, "w", encoding="utf-8", newline="") as fh:
                w = csv.writer(fh, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE, escapechar="\\")
                w.writerows(gdelt_rows(store))
            return [f]
        opts = {"parquet": "(FORMAT parquet)", "jsonl": "(FORMAT json)", "csv": "(FORMAT csv, HEADER)"}
        if fmt not in opts:
            raise ValueError(f"unknown export format {fmt!r}: use parquet, jsonl, csv or gdelt")
        ext = {"parquet": "parquet", "jsonl": "jsonl", "csv": "csv"}[fmt]
        for t in (*TABLES, "event_groups"):
            f = out / f"{t}.{ext}"
            path_sql = str(f).replace("'", "''")
            store.con.execute(f"COPY (SELECT * FROM {t}) TO '{path_sql}' {opts[fmt]}")
            written.append(f)
    return written
