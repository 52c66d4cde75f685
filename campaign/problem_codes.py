"""The catalogue of problems a sheet can have: one record per code, with its severity, the
message a coordinator reads and the fix suggested (templates filled in where it is found).

Two codes are models for codes a campaign file names itself: a choice column's `unknown_code`
takes the texts of `unknown_value`, a tab's `unique.code` those of `duplicate_row`, each with
the severity the file gives it (`unknown_severity`, `unique.severity`; a warning unless the file
says «error»). The README's list of codes is checked against this catalogue and the bundled
campaign files (tests/unit/test_docs.py).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

ERROR, WARNING = "error", "warning"
SEVERITIES = (ERROR, WARNING)
SEVERITY_LABELS = {ERROR: "ошибка", WARNING: "предупреждение"}


@dataclass(frozen=True)
class ProblemCode:
    code: str
    severity: str
    about: str  # what it means, for the README
    message: str  # a template: str.format with the fields its finder gives
    fix: str
    fix_otherwise: str = ""  # the fix when the first one has nothing to offer (no close name)

    def message_for(self, **fields: object) -> str:
        return self.message.format(**fields)

    def fix_for(self, **fields: object) -> str:
        return self.fix.format(**fields)

    def named(self, code: str, severity: str = WARNING) -> ProblemCode:
        """The same problem under a campaign file's own code and severity."""
        return dataclasses.replace(self, code=code, severity=severity)


def _code(code: str, severity: str, about: str, message: str, fix: str, fix_otherwise: str = "") -> ProblemCode:
    return ProblemCode(code, severity, about, message, fix, fix_otherwise)


# Fields: {tab}, {column} (the header as typed), {value} (the cell quoted after a space,
# « «…»», see `cell_quoted`; nothing where the column holds personal data), and those named beside
# each template.
MISSING_TAB = _code(
    "missing_tab", ERROR, "a required tab is not in the sheet",
    "В таблице нет листа «{tab}»{existing}.",  # existing: « (есть: «…», «…»)» or «; в таблице нет ни одного листа»
    "Добавьте лист «{tab}» или переименуйте существующий.")
MISSING_COLUMN = _code(
    "missing_column", ERROR, "a required column is not in a tab's header row",
    "На листе «{tab}» нет обязательного столбца «{column}».",
    "Добавьте в строку 1 столбец с одним из заголовков: {labels}.")
DUPLICATE_COLUMN = _code(
    "duplicate_column", WARNING, "a column's header appears twice and the second one holds data",
    "Столбец «{column}» есть дважды (столбцы {first} и {second}); читается только {first}, данные "
    "столбца {second} не учитываются.",
    "Перенесите данные из столбца {second} в {first} и удалите лишний столбец или переименуйте его.")
MISSING_VALUE = _code(
    "missing_value", ERROR, "a required cell is empty",
    "Не заполнено обязательное поле «{column}».",
    "Заполните «{column}»{hint}.")  # hint: «: what to type» or nothing
INCOMPLETE_ROW = _code(
    "incomplete_row", WARNING, "a cell the row's own choices require (`required_when`) is empty",
    "{said}, но не заполнено поле «{column}».",  # said: «Баннер» — «да»
    "Заполните «{column}»{hint}.")
UNKNOWN_MUNICIPALITY = _code(
    "unknown_municipality", ERROR, "a municipality name fits none of the region's",
    "Муниципалитет{value} не найден среди муниципалитетов {region}.",
    "Возможно, имелось в виду: {suggestions}.",
    "Ни одно из названий муниципалитетов {region} не похоже на{value}: выберите муниципалитет из "
    "выпадающего списка столбца (все названия — на странице «Муниципалитеты»).")
AMBIGUOUS_MUNICIPALITY = _code(
    "ambiguous_municipality", ERROR, "a municipality name fits several of the region's",
    "Название{value} подходит к нескольким муниципалитетам: {suggestions}.",
    "Уточните, город это или район: например, «г. …» или «… район».")
INVALID_DATE = _code(
    "invalid_date", ERROR, "a date that cannot be read",
    "Не удалось прочитать дату{value} в столбце «{column}».",
    "Введите дату в виде ДД.ММ.ГГГГ, например {date}.")  # date: the campaign's first day
DATE_OUTSIDE_CAMPAIGN = _code(
    "date_outside_campaign", WARNING, "a date outside the campaign's window (the row still counts)",
    "Дата {date} вне сроков {of_what} ({period}); строка всё равно учтена.",
    "Проверьте дату: возможно, опечатка в дне, месяце или годе.")
INVALID_PHONE = _code(
    "invalid_phone", ERROR, "a phone that is no valid number",
    "Не удалось прочитать телефон{value} в столбце «{column}».",
    "Введите телефон с кодом города или оператора, например {phone} или +7 900 123-45-67.")  # phone: the capital's
INVALID_INN = _code(
    "invalid_inn", ERROR, "an ИНН of the wrong length or checksum",
    "Не удалось прочитать ИНН{value} в столбце «{column}».",
    "Проверьте ИНН: 10 цифр для организации или 12 для ИП; контрольная сумма не сходится.")
INVALID_LINK = _code(
    "invalid_link", ERROR, "a link that is not http(s)",
    "Не удалось прочитать ссылку{value} в столбце «{column}».",
    "Вставьте полную ссылку, начинающуюся с https://")
INVALID_NUMBER = _code(
    "invalid_number", ERROR, "a number that cannot be read (it counts as 0)",
    "Не удалось прочитать число{value} в столбце «{column}».",
    "Введите целое число без текста, например 150; если данных нет — оставьте ячейку пустой.")
INVALID_EMAIL = _code(
    "invalid_email", WARNING, "an e-mail address that is not of the form name@example.ru",
    "Не удалось прочитать адрес электронной почты{value} в столбце «{column}».",
    "Проверьте адрес: он должен быть вида name@example.ru.")
UNKNOWN_VALUE = _code(
    "unknown_value", WARNING, "a choice cell that matches none of the column's values",
    "Значение{value} в столбце «{column}» не распознано.",
    "Выберите одно из значений: {allowed}.")  # allowed: the column's hint, or its values
INVALID_YES_NO = _code(
    "invalid_yes_no", WARNING, "a yes/no cell that is neither «да» nor «нет» in any usual spelling",
    UNKNOWN_VALUE.message, UNKNOWN_VALUE.fix)
DUPLICATE_ROW = _code(
    "duplicate_row", WARNING, "the same thing twice in a tab (by the tab's unique keys): counted once",
    "Повтор: {what} уже есть в строке {row} (совпадает ИНН или название в том же муниципалитете). "
    "Учитывается один раз, по первой строке.",
    "Удалите повторную строку или исправьте ИНН / название, если это разные организации.")
UNCLOSED_QUOTE = _code(
    "unclosed_quote", ERROR, "a CSV cell opens a quote it never closes",
    "Незакрытая кавычка в ячейке{value}: всё после неё до следующей кавычки стало бы одной ячейкой. "
    "Строки после неё прочитаны отдельно.",
    'Уберите лишнюю кавычку (") из ячейки или закройте её второй кавычкой.')

UNREADABLE_FILE = _code(
    "unreadable_file", ERROR, "a workbook of a folder of municipal workbooks cannot be read (the others are)",
    "{value}",  # the source's own message: damaged, not .xlsx, no permission
    "Попросите муниципалитет прислать файл заново в формате «Книга Excel (.xlsx)» и замените его в папке.")
MUNICIPALITY_IN_TWO_FILES = _code(
    "municipality_in_two_files", ERROR, "two workbooks of a folder are of one municipality (both are read)",
    "Муниципалитет {municipality} — в нескольких файлах: {files}. Строки всех этих файлов учтены: "
    "то, что есть в двух файлах, может быть посчитано дважды.",
    "Оставьте в папке один файл муниципалитета: перенесите в него недостающие строки, остальные удалите.")

# A campaign's personal columns kept in a workbook apart (campaign/personal_join.py). Fields:
# {where} «лист «…» книги «…»», {key} how the row was looked for, {columns} the personal columns,
# {book} the personal workbook.
PERSONAL_ROW_MISSING = _code(
    "personal_row_missing", ERROR, "a row of the shared sheet has no row in the workbook of personal columns",
    "Нет строки с персональными данными на листе {where} ({key}).",
    "Добавьте на лист {where} строку с теми же значениями и заполните {columns}; если строка там есть, "
    "исправьте в ней эти значения, чтобы они совпадали с общей таблицей.")
PERSONAL_ROW_AMBIGUOUS = _code(
    "personal_row_ambiguous", WARNING, "a row of the shared sheet matches several rows of the workbook of "
    "personal columns (the first is taken)",
    "На листе {where} этой строке подходят несколько строк: {rows}; взяты данные строки {first}.",
    "Оставьте на листе {where} одну строку для этой записи: удалите лишние или исправьте их значения.")
PERSONAL_ROW_UNMATCHED = _code(
    "personal_row_unmatched", WARNING, "a row of the workbook of personal columns matches no row of the shared sheet",
    "Строка не соответствует ни одной строке общей таблицы ({key}): её данные нигде не показываются.",
    "Проверьте значения: они должны совпадать с общей таблицей; лишнюю строку удалите.")
PERSONAL_IN_SHARED_SHEET = _code(
    "personal_in_shared_sheet", ERROR, "personal data typed into the shared sheet of a campaign that keeps it "
    "apart (it is not read from there)",
    "В общей таблице заполнен столбец с персональными данными «{column}» ({count}): они хранятся только в книге "
    "«{book}» и из общей таблицы не читаются.",
    "Перенесите данные в книгу «{book}» и очистите столбец «{column}» в общей таблице: персональные данные нельзя "
    "хранить в базе за пределами России (152-ФЗ, ст. 18, ч. 5).")

CATALOGUE: dict[str, ProblemCode] = {problem.code: problem for problem in (
    MISSING_TAB, MISSING_COLUMN, DUPLICATE_COLUMN, MISSING_VALUE, INCOMPLETE_ROW, UNKNOWN_MUNICIPALITY,
    AMBIGUOUS_MUNICIPALITY, INVALID_DATE, DATE_OUTSIDE_CAMPAIGN, INVALID_PHONE, INVALID_INN, INVALID_LINK,
    INVALID_NUMBER, INVALID_EMAIL, UNKNOWN_VALUE, INVALID_YES_NO, DUPLICATE_ROW, UNCLOSED_QUOTE, UNREADABLE_FILE,
    MUNICIPALITY_IN_TWO_FILES, PERSONAL_ROW_MISSING, PERSONAL_ROW_AMBIGUOUS, PERSONAL_ROW_UNMATCHED,
    PERSONAL_IN_SHARED_SHEET,
)}


def cell_quoted(value: str, limit: int = 60) -> str:
    """A cell as a message quotes it: « «…»», shortened after `limit` characters."""
    return f" «{value[:limit]}…»" if len(value) > limit else f" «{value}»"
