"""County (fylke) names by number. Numbers were reused across reforms (2018, 2020, 2024),
so a name depends on the date; the first two digits of a municipality number are the
county number of its time."""

from datetime import date

# number -> list of (first year, last year or None, name)
COUNTIES: dict[str, list[tuple[int, int | None, str]]] = {
    "01": [(1838, 2019, "Østfold")],
    "02": [(1838, 2019, "Akershus")],
    "03": [(1838, None, "Oslo")],
    "04": [(1838, 2019, "Hedmark")],
    "05": [(1838, 2019, "Oppland")],
    "06": [(1838, 2019, "Buskerud")],
    "07": [(1838, 2019, "Vestfold")],
    "08": [(1838, 2019, "Telemark")],
    "09": [(1838, 2019, "Aust-Agder")],
    "10": [(1838, 2019, "Vest-Agder")],
    "11": [(1838, None, "Rogaland")],
    "12": [(1838, 2019, "Hordaland")],
    "14": [(1838, 2019, "Sogn og Fjordane")],
    "15": [(1838, None, "Møre og Romsdal")],
    "16": [(1838, 2017, "Sør-Trøndelag")],
    "17": [(1838, 2017, "Nord-Trøndelag")],
    "18": [(1838, None, "Nordland")],
    "19": [(1838, 2019, "Troms")],
    "20": [(1838, 2019, "Finnmark")],
    "30": [(2020, 2023, "Viken")],
    "31": [(2024, None, "Østfold")],
    "32": [(2024, None, "Akershus")],
    "33": [(2024, None, "Buskerud")],
    "34": [(2020, None, "Innlandet")],
    "38": [(2020, 2023, "Vestfold og Telemark")],
    "39": [(2024, None, "Vestfold")],
    "40": [(2024, None, "Telemark")],
    "42": [(2020, None, "Agder")],
    "46": [(2020, None, "Vestland")],
    "50": [(2018, None, "Trøndelag")],
    "54": [(2020, 2023, "Troms og Finnmark")],
    "55": [(2024, None, "Troms")],
    "56": [(2024, None, "Finnmark")],
}


def county_name(number: str, on: date | None = None) -> str:
    periods = COUNTIES.get(number, [])
    if not periods:
        return number
    if on is not None:
        for first, last, name in periods:
            if first <= on.year and (last is None or on.year <= last):
                return name
    return periods[-1][2]


def county_choices() -> list[tuple[str, str]]:
    """All county numbers with their names, for filters (historical ones marked by period)."""
    choices = []
    for number, periods in sorted(COUNTIES.items()):
        _first, last, name = periods[-1]
        label = f"{number} {name}" if last is None else f"{number} {name} (–{last})"
        choices.append((number, label))
    return choices
