"""The one catalogue of problem codes: what each means, what to do about it, its severity, and whether it stops reading."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    title: str  # what is wrong, in a few words (annotation titles, the docs' table of codes)
    todo: str  # what to do, for every problem of this kind
    severity: str = "error"  # "error" stops the build; "warning" is shown and published anyway
    fatal: bool = False  # the package cannot be read further: later checks are skipped


HOW_TO_CONVERT = "Преобразуйте файл командой «kachestvo import ФАЙЛ --table ТАБЛИЦА»."

CATALOGUE: dict[str, Kind] = {
    # the package's shape (validate/structure.py, csvfile.py)
    "missing-file": Kind("Нет файла", "Создайте файл или исправьте путь к нему в datapackage.json.", fatal=True),
    "json-error": Kind("datapackage.json не читается", "Исправьте JSON: запятые, кавычки, скобки."),
    "config-value": Kind("Неверная настройка", "Исправьте значение в блоке «kachestvo» файла datapackage.json."),
    "unknown-resource": Kind("Неизвестная таблица", "Исправьте имя таблицы в datapackage.json.", fatal=True),
    "missing-resource": Kind("Нет обязательной таблицы", "Добавьте таблицу в resources и создайте её CSV-файл.", fatal=True),
    "resource-path": Kind("Неверный путь таблицы", "Исправьте path и schema таблицы в datapackage.json."),
    "schema-drift": Kind("Схема изменена вручную", "Верните каноническую схему: «kachestvo schemas»."),
    "unlisted-file": Kind("Файл вне пакета", "Перенесите таблицу: «kachestvo import ФАЙЛ --table ТАБЛИЦА»."),
    "excel-bom": Kind("Файл сохранён Excel с меткой BOM", HOW_TO_CONVERT, fatal=True),
    "encoding-error": Kind("Кодировка не UTF-8", HOW_TO_CONVERT, fatal=True),
    "delimiter": Kind("Разделитель — точка с запятой", HOW_TO_CONVERT, fatal=True),
    "missing-label": Kind("Нет столбца", "Добавьте столбец в заголовок."),
    "extra-label": Kind("Лишний столбец", "Удалите столбец или исправьте его имя."),
    "duplicate-label": Kind("Столбец повторяется", "Оставьте один столбец с этим именем."),
    # cells, keys and references (validate/schema.py, frictionless)
    "type-error": Kind("Значение не того типа", "Исправьте значение: число с точкой, целое число или дата ГГГГ-ММ-ДД."),
    "constraint-required": Kind("Пустая обязательная ячейка", "Заполните ячейку."),
    "constraint-enum": Kind("Значение не из списка", "Выберите значение из списка допустимых."),
    "constraint-pattern": Kind("Неверный формат", "Исправьте значение по образцу из описания столбца."),
    "constraint-minimum": Kind("Меньше минимума", "Проверьте значение и шкалу (оценка 2–5, балл и процент 0–100)."),
    "constraint-maximum": Kind("Больше максимума", "Проверьте значение и шкалу (оценка 2–5, балл и процент 0–100)."),
    "constraint-minLength": Kind("Слишком короткое значение", "Дополните значение."),
    "constraint-maxLength": Kind("Слишком длинное значение", "Сократите текст."),
    "constraint-unique": Kind("Значение повторяется", "Сделайте значение уникальным."),
    "constraint-other": Kind("Нарушено ограничение", "Исправьте значение по описанию столбца."),
    "primary-key": Kind("Повтор строки", "Удалите повтор или исправьте значения ключа."),
    "foreign-key": Kind("Ссылка в никуда", "Исправьте опечатку или добавьте строку в таблицу, на которую ссылаетесь."),
    "extra-cell": Kind("Лишние ячейки", "Текст с запятыми или переносами строк заключите в двойные кавычки."),
    "missing-cell": Kind("Не хватает ячеек", "Текст с запятыми или переносами строк заключите в двойные кавычки."),
    "blank-row": Kind("Пустая строка", "Удалите пустую строку."),
    "table-error": Kind("Таблица не читается", "Откройте файл и проверьте его формат: CSV UTF-8 с запятыми."),
    # domain rules (validate/checks/)
    "impossible-date": Kind("Такой даты нет в календаре", "Исправьте день или оставьте месяц (ГГГГ-ММ) или год (ГГГГ)."),
    "end-before-start": Kind("Окончание раньше начала", "Исправьте даты или годы начала и окончания."),
    "school-required": Kind("Не указана школа", "Укажите школу для мероприятия школьного уровня."),
    "file-not-found": Kind("Нет файла документа", "Положите файл в content/ или исправьте путь."),
    "checksum-required": Kind("Нет контрольной суммы", "Укажите sha256 файла документа."),
    "checksum-mismatch": Kind("Файл документа изменён", "Проверьте файл и обновите его sha256."),
    "personal-data": Kind("Персональные данные", "Замените ФИО должностью или отметьте согласие в примечании."),
    "parent-is-self": Kind("Показатель ссылается сам на себя", "Исправьте родительский показатель."),
    "parent-other-task": Kind("Родитель из другой задачи", "Выберите родительский показатель той же задачи."),
    "missing-reason": Kind("Нет значения и причины", "Укажите значение или причину его отсутствия."),
    "value-and-reason": Kind("И значение, и причина", "Оставьте одно: значение или причину его отсутствия."),
    "out-of-range": Kind("Значение вне шкалы", "Проверьте значение и единицу (оценка 2–5, балл и процент 0–100)."),
    "unit-mismatch": Kind("Неверная единица", "Укажите единицу, принятую для этого показателя."),
    "result-scope": Kind("Чей результат — не ясно", "Заполните ровно одно: школа или муниципалитет."),
    "municipal-result-source": Kind("Среднее по району без источника", "Укажите документ, где опубликовано среднее."),
    "municipality-rows": Kind("Не одна строка муниципалитета", "Оставьте в municipality.csv ровно одну строку."),
    "region-rows": Kind("Несколько строк «регион»", "Оставьте в municipality.csv одну строку региона."),
    "region-without-municipalities": Kind("Регион без муниципалитетов", "Добавьте строки муниципалитетов региона."),
    "school-municipality-required": Kind("Не указан муниципалитет школы", "Впишите идентификатор муниципалитета."),
    "school-in-region-row": Kind("Школа отнесена к региону", "Укажите муниципалитет школы, а не регион."),
    # hostile and broken input (validate/text.py, validate/files.py, checks/privacy.py)
    "formula-prefix": Kind("Текст начинается как формула", "Уберите «=», «+», «-», «@» или табуляцию в начале ячейки."),
    "control-character": Kind("Управляющий символ", "Удалите невидимый управляющий символ из ячейки."),
    "line-break": Kind("Перенос строки в однострочном поле", "Запишите значение в одну строку."),
    "bidi-character": Kind("Символ смены направления текста", "Удалите символ: он переворачивает текст на сайте."),
    "invisible-character": Kind("Невидимый символ", "Удалите невидимый символ из ячейки."),
    "mixed-script": Kind("Латиница вперемешку с кириллицей", "Перепечатайте слово одной раскладкой."),
    "lookalike-duplicate": Kind("Названия совпадают до похожих букв", "Проверьте, не одна ли это запись."),
    "symlink": Kind("Символическая ссылка", "Замените ссылку настоящим файлом внутри проекта.", fatal=True),
    "file-outside": Kind("Файл вне проекта", "Положите файл внутрь папки content/ и укажите путь без «..»."),
    "descriptor-invalid": Kind("datapackage.json не по стандарту", "Исправьте описание пакета по сообщению."),
    "year-after-as-of": Kind(
        "Год позже даты «по состоянию на»", "Проверьте год или обновите дату as_of в municipality.csv.", severity="warning"
    ),
    "suppressed-in-document": Kind(
        "Скрытое значение есть в документе", "Проверьте, можно ли публиковать документ целиком.", severity="warning"
    ),
    "branch-of-itself": Kind("Школа — филиал самой себя", "Исправьте столбец «Филиал организации»."),
    "branch-of-branch": Kind("Филиал филиала", "Укажите головную школу, а не филиал."),
    "school-named-twice": Kind("Школа записана дважды", "Оставьте одну строку школы или уточните название.", severity="warning"),
    "school-in-two-groups": Kind("Школа в двух группах", "Оставьте школу в одной группе партнёрства."),
    "reason-required": Kind("Нет причины", "Укажите причину."),
    "partner-required": Kind("Нет партнёра", "Укажите партнёра."),
    "group-or-reason": Kind("Нет группы или причины", "Укажите группу или причину её отсутствия."),
    "level-without-group": Kind("Уровень без группы", "Укажите группу для этого уровня."),
    "target-missing": Kind("Нет плановых значений", "Добавьте плановые значения на каждый год программы."),
    "year-outside-programme": Kind("Год вне сроков программы", "Исправьте год или сроки программы."),
    "value-unit-mismatch": Kind("Значение не в единицах показателя", "Запишите значение в единицах показателя."),
    "actual-or-reason": Kind("Нет факта или причины", "Заполните ровно одно: факт или причину его отсутствия."),
    "list-size": Kind("Численность списка не сходится", "Проверьте численность списка и общие школы по источнику."),
    "direction-contradiction": Kind(
        "Направление показателя противоречит формулировке", "Укажите направление («не менее», «не более», …) как в источнике."
    ),
    # the imported file itself (importer.py): reported with sheet, Excel row and the sheet's header; nothing written
    "import-duplicate": Kind("Строка повторяется в файле", "Оставьте одну из строк с одинаковым ключом."),
    "import-placeholder": Kind(
        "Заглушка вместо значения", "Оставьте ячейку пустой и укажите причину в столбце причины («…_missing»)."
    ),
    "import-legacy-encoding": Kind(
        "Символы заменены на «?»", "Сохраните таблицу как «Книга Excel (*.xlsx)» или «CSV UTF-8» и импортируйте снова."
    ),
    "import-rename": Kind(
        "Похоже на переименование ключа",
        "Проверьте, не исправлен ли ключ строки; для замены используйте выгрузку сайта data.xlsx.",
        severity="warning",
    ),
    # the trust boundary (limits.py, validate/trust.py)
    "too-large": Kind("Файл за пределом размера", "Проверьте файл или поднимите предел настройкой max_*.", fatal=True),
    "not-a-file": Kind("Вместо файла папка", "Замените папку файлом с тем же именем.", fatal=True),
    "descriptor-shape": Kind("datapackage.json неверного вида", "Верните описанию пакета вид объекта JSON.", fatal=True),
    "remote-reference": Kind(
        "Ссылка на внешний адрес в описании пакета", "Уберите адрес: всё описание хранится в самом проекте.", fatal=True
    ),
    "number-format": Kind("Число записано не цифрами 0–9", "Запишите число обычными цифрами без пробелов и «_»."),
    "reserved-id": Kind("Зарезервированный идентификатор", "Выберите другой идентификатор."),
    "as-of-too-early": Kind("Слишком ранняя дата «по состоянию на»", "Проверьте год в municipality.csv."),
    "active-content-file": Kind(
        "Файл с HTML или скриптом в content/", "Уберите файл или разрешите HTML настройкой allow_raw_html."
    ),
    "code-in-config": Kind("Код в mkdocs.yml", "Уберите hooks и теги !!python или разрешите их настройкой allow_code."),
    "public-raw-data": Kind(
        "Скрытые значения лежат в открытом репозитории",
        "Храните сырые данные в закрытом репозитории и укажите repository_private.",
        severity="warning",
    ),
}

FATAL = frozenset(code for code, kind in CATALOGUE.items() if kind.fatal)


def markdown() -> str:
    """The catalogue as a Markdown table (docs/src/reference/problems.md carries it; a test keeps the two equal)."""
    rows = ["| Код | Что не так | Что сделать | Серьёзность |", "|---|---|---|---|"]
    for code, kind in CATALOGUE.items():
        weight = ("ошибка" if kind.severity == "error" else "предупреждение") + (
            ", проверка дальше не идёт" if kind.fatal else ""
        )
        rows.append(f"| `{code}` | {kind.title} | {kind.todo} | {weight} |")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":  # python3 -m kachestvo.validate.catalogue: the table alone (docs: scripts/docs_reference.py)
    print(markdown(), end="")
