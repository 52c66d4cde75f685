"""A campaign of another shape from a file alone: «Заступник» (Irkutsk Oblast, 2024) — one row
per educational organisation, yes/no columns, targets as shares of all organisations."""

from __future__ import annotations

from datetime import date

import pytest

from campaign import russian
from campaign.map_view import map_measures
from campaign.pipeline import run
from campaign.progress import target_progress
from campaign.spec import CampaignFileError, TargetSpec, load_campaign, parse_campaign, read_campaign_data
from campaign.summary import report_to_dict, summary_sentence, summary_text, target_figure
from campaign.workbook import RawTab

ZASTUPNIK = "irkutsk-zastupnik-2024"
HEADER = ["Муниципальное образование", "Наименование организации", "ИНН", "Тип организации", "ФИО ответственного",
          "Должность ответственного", "Телефон ответственного", "Баннер размещён",
          "Ссылка на страницу с баннером", "Вступил в рабочий чат", "Дата вступления в чат"]
IRKUTSK = "RU-IRK:иркутск:go"
SHELEKHOV = "RU-IRK:шелеховский:mr"


def row(mo="г. Иркутск", name="МБОУ «СОШ № 1»", responsible="Иванова Анна Петровна", banner="да",
        link="https://sh1.irkobl.ru/zastupnik", chat="да", chat_on="03.06.2024", org_type="МБОУ", phone="89141234567"):
    return [mo, name, "", org_type, responsible, "учитель", phone, banner, link, chat, chat_on]


def zastupnik(rows, as_of=date(2024, 6, 3)):
    campaign = load_campaign(ZASTUPNIK)
    tab = RawTab("Образовательные организации", HEADER, rows, list(range(2, len(rows) + 2)))
    return run([tab], campaign, as_of=as_of)


@pytest.fixture(scope="module")
def report():
    return zastupnik([
        row(),
        row(name="МБОУ «СОШ № 2»", banner="нет", chat="", chat_on="", responsible=""),
        row(name="МБОУ «СОШ № 3»", banner="+", chat="ИСТИНА"),  # a checkbox read from a workbook
        row(name="МБОУ «СОШ № 4»", banner="может быть", chat="ЛОЖЬ", chat_on=""),
        row(mo="Шелеховский район", name="Управление образования", chat="вступил", chat_on="07.06.2024"),
    ])


def test_the_campaign_file_alone_describes_the_sheet_the_targets_and_the_pages():
    campaign = load_campaign(ZASTUPNIK)
    assert campaign.region_key == "RU-IRK" and campaign.family == "zastupnik-2024"
    assert [c.id for c in campaign.tabs[0].columns if c.yes_no] == ["banner", "chat"]
    assert [t.share_of for t in campaign.targets] == ["organisations_total"] * 3
    assert campaign.headline.id == "chat_joined" and campaign.dashboard.events is None
    assert [d.date for d in campaign.deadlines] == [date(2024, 6, 5)]


@pytest.mark.parametrize(("typed", "read"), [
    ("да", "да"), ("Да.", "да"), ("+", "да"), ("есть", "да"), ("ИСТИНА", "да"), ("TRUE", "да"), ("✓", "да"),
    ("нет", "нет"), ("-", "нет"), ("ЛОЖЬ", "нет"), ("не размещён", "нет"), ("0", "нет"),
])
def test_a_yes_no_cell_reads_the_spellings_coordinators_use(typed, read):
    result = zastupnik([row(banner=typed)])
    assert result.tabs["organisations"].frame["banner"].astype(str).tolist() == [read]
    assert result.problems.empty


def test_an_unreadable_yes_no_is_reported_with_the_values_to_type(report):
    found = report.problems[report.problems["code"] == "invalid_yes_no"]
    assert found[["row", "column"]].values.tolist() == [[5, "Баннер размещён"]]
    assert found.iloc[0]["message"] == "Значение «может быть» в столбце «Баннер размещён» не распознано."
    assert "«да» или «нет»" in found.iloc[0]["fix"]
    assert found.iloc[0]["severity"] == "warning"


def test_counts_follow_the_file_and_shares_are_of_all_organisations(report):
    assert report.metrics == {"organisations_total": 5, "responsible_appointed": 4, "banner_placed": 3,
                              "chat_joined": 3, "all_done": 3}
    chat = next(t for t in report.targets if t.id == "chat")
    assert (chat.value, chat.base, chat.goal, chat.met, chat.remaining) == (3, 5, 5, False, 2)
    assert chat.share == pytest.approx(0.6)
    assert target_figure(chat) == "3 из 5 (60\u00a0%)"


def test_a_chat_date_after_the_deadline_is_a_warning_and_the_row_still_counts(report):
    late = report.problems[report.problems["code"] == "date_outside_campaign"]
    assert late[["row", "column"]].values.tolist() == [[6, "Дата вступления в чат"]]
    assert late.iloc[0]["message"] == ("Дата 07.06.2024 вне сроков проекта (30.05.2024–05.06.2024); "
                                       "строка всё равно учтена.")
    assert report.municipalities.set_index("uid").loc[SHELEKHOV, "chat_joined"] == 1


def test_each_municipality_gets_the_share_of_its_own_organisations(report):
    table = report.municipalities.set_index("uid")
    assert table.loc[IRKUTSK, "organisations_total"] == 4
    assert table.loc[IRKUTSK, "share:chat"] == pytest.approx(0.5)
    assert table.loc[SHELEKHOV, "share:responsible"] == pytest.approx(1.0)
    assert table["share:banner"].isna().sum() == len(table) - 2  # no organisations: no share, not 0 %


@pytest.mark.parametrize(("value", "base", "met", "remaining", "figure"), [
    (5, 5, True, 0, "5 из 5 (100\u00a0%)"),
    (4, 5, False, 1, "4 из 5 (80\u00a0%)"),
    (199, 200, False, 1, "199 из 200 (99\u00a0%)"),  # 99.5 % is not «100 %» until it is all
    (0, 0, False, 0, "0 из 0"),  # nothing in the sheet is not «all of it»
])
def test_a_share_target_is_met_only_when_every_organisation_is_counted(value, base, met, remaining, figure):
    target = TargetSpec("t", "Все", "m", min=1, share_of="base")
    progress = target_progress(target, value, base)
    assert (progress.met, progress.remaining, target_figure(progress)) == (met, remaining, figure)


def test_a_count_target_is_unchanged_by_share_targets():
    progress = target_progress(TargetSpec("t", "Не менее 20", "m", min=20), 7)
    assert (progress.met, progress.remaining, progress.base, progress.goal, target_figure(progress)) == \
        (False, 13, None, 20, "7")


def test_the_summary_sentence_is_the_files_template(report):
    assert summary_sentence(report) == ("В таблице 5 организаций; назначили ответственного: 4; разместили баннер: 3; "
                                        "вступили в рабочий чат: 3; всё сделали: 3.")
    assert "**5 организаций**" in summary_sentence(report, bold=True)


def test_the_text_summary_and_json_give_shares(report):
    assert "Все ответственные вступили в рабочий чат: 3 из 5 (60\u00a0%) — не выполнено, осталось 2" in \
        summary_text(report)
    chat = next(t for t in report_to_dict(report)["targets"] if t["id"] == "chat")
    assert (chat["base"], chat["share_of"], chat["met"]) == (5, "organisations_total", False)


def test_the_map_can_be_coloured_by_each_share_target_or_the_count(report):
    measures = map_measures(report)
    assert [m.id for m in measures] == ["responsible", "banner", "chat", "count"]
    chat = measures[2]
    assert chat.by_share and chat.of(IRKUTSK) == (2, 4, 0.5)
    assert chat.of("RU-IRK:братск:go") == (0, None, None)
    assert measures[-1].of(IRKUTSK) == (2, None, None) and not measures[-1].by_share


def test_map_labels_give_a_share_of_a_target_a_quota_or_a_count(report, sheet):
    chat = map_measures(report)[2]
    assert [chat.label_text(uid) for uid in (IRKUTSK, SHELEKHOV, "RU-IRK:братск:go")] == ["50\u00a0%", "100\u00a0%", "—"]
    assert map_measures(report)[-1].label_text(IRKUTSK) == "2"
    quota = map_measures(sheet.run(orgs=[sheet.org()], quotas=[["г. Благовещенск", "4"]]))[0]
    assert quota.label_text("RU-AMU:благовещенск:go") == "1 из 4"
    assert quota.label_text("RU-AMU:тында:go") == "0"  # no quota there: the count


def test_the_charter_map_is_coloured_by_quota_share_first_then_by_count(sheet):
    report = sheet.run(orgs=[sheet.org()], quotas=[["г. Благовещенск", "4"]])
    measures = map_measures(report)
    assert [m.id for m in measures] == ["quota", "count"]
    assert measures[0].of("RU-AMU:благовещенск:go") == (1, 4, 0.25)
    # in the deputy minister's words, not the sheet's («лист «Цели»»); a share told from a count
    assert [m.label for m in measures] == ["Доля своей цели, %: организации, присоединившиеся к Хартии",
                                           "Число: организации, присоединившиеся к Хартии"]


def test_the_zastupnik_map_choices_tell_a_share_from_a_count(demo_report):
    """«Все ответственные вступили в рабочий чат» and «Ответственный вступил в рабочий чат» were two
    near-identical choices of «Раскрасить карту»."""
    labels = [m.label for m in map_measures(demo_report("irkutsk-zastupnik-2024"))]
    assert labels == ["Доля, %: ответственный назначен", "Доля, %: баннер размещён", "Доля, %: в рабочем чате",
                      "Число: ответственный вступил в рабочий чат"]


def test_a_dashboard_naming_an_unknown_metric_is_a_campaign_file_error():
    data = read_campaign_data(ZASTUPNIK)
    data["dashboard"]["summary_text"] = "Всего: {no_such_metric}"
    with pytest.raises(CampaignFileError, match="no_such_metric"):
        parse_campaign(data)


def test_a_share_target_of_an_unknown_metric_is_a_campaign_file_error():
    data = read_campaign_data(ZASTUPNIK)
    data["targets"][0]["share_of"] = "everyone"
    with pytest.raises(CampaignFileError, match="цель «[^»]+» называет неизвестный показатель «everyone»"):
        parse_campaign(data)


@pytest.mark.parametrize(("value", "total", "with_share", "text"), [
    (3, 5, False, "3 из 5"), (3, 5, True, "3 из 5 (60\u00a0%)"), (1200, 1500, False, "1\u00a0200 из 1\u00a0500"),
    (3, None, True, "3"), (0, 0, True, "0 из 0"),
])
def test_out_of_says_how_many_of_how_many(value, total, with_share, text):
    assert russian.out_of(value, total, with_share=with_share) == text


def test_percent_is_whole_with_a_non_breaking_space():
    assert [russian.percent(x) for x in (0, 0.004, 0.5, 0.996, 1)] == ["0\u00a0%", "0\u00a0%", "50\u00a0%", "99\u00a0%",
                                                                       "100\u00a0%"]


@pytest.mark.parametrize(("banner", "link", "reported"), [
    ("да", "", True),
    ("+", "", True),  # any spelling of «да»
    ("да", "https://sh1.irkobl.ru/zastupnik", False),
    ("нет", "", False),
    ("", "", False),
])
def test_a_banner_placed_needs_the_link_to_its_page(banner, link, reported):
    found = zastupnik([row(banner=banner, link=link)]).problems
    incomplete = found[found["code"] == "incomplete_row"]
    assert len(incomplete) == int(reported)
    if reported:
        problem = incomplete.iloc[0]
        assert (problem["row"], problem["column"], problem["severity"]) == (2, "Ссылка на страницу с баннером",
                                                                             "warning")
        assert problem["message"] == ("«Баннер размещён» — «да», но не заполнено поле "
                                      "«Ссылка на страницу с баннером».")


def test_required_when_must_name_values_of_a_choice_column():
    data = read_campaign_data(ZASTUPNIK)
    link = next(c for c in data["tabs"][0]["columns"] if c["id"] == "banner_link")
    link["required_when"] = {"banner": ["может быть"]}
    with pytest.raises(CampaignFileError, match="required_when"):
        parse_campaign(data)
