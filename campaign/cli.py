"""Command line: `python -m campaign summary|check --source … --campaign …`.

An entry point: it parses arguments, fetches through data_sources and calls the pipeline.
"""

from __future__ import annotations

import argparse
import json
import sys

from campaign.pipeline import run
from campaign.spec import CampaignFileError, load_campaign
from campaign.summary import problems_text, report_to_dict, summary_text
from data_sources.base import SourceError
from data_sources.config import demo_workbook, load_settings, make_source, parse_date, source_kind_for


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m campaign", description="Итоги акции по общей таблице.")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (("summary", "итоги по целям, муниципалитетам и срокам"),
                            ("check", "только проблемы в таблице, по муниципалитетам")):
        command = commands.add_parser(name, help=help_text)
        command.add_argument("--source", help="путь к .xlsx или папке .csv, адрес или ключ Google-таблицы "
                                              "(по умолчанию — демонстрационная таблица кампании)")
        command.add_argument("--campaign", default=None, help="id кампании из campaigns/ или путь к .toml")
        command.add_argument("--source-kind", choices=["auto", "file", "google", "link"], default="auto")
        command.add_argument("--as-of", help="дата «по состоянию на» (ГГГГ-ММ-ДД или ДД.ММ.ГГГГ)")
        command.add_argument("--json", action="store_true", help="вывести JSON")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = load_settings()
    campaign_ref = args.campaign or settings.campaign_id
    try:
        campaign = load_campaign(campaign_ref)
        source_text = args.source or (settings.source if args.campaign is None else str(demo_workbook(campaign.id)))
        kind = args.source_kind if args.source_kind != "auto" else source_kind_for(source_text, settings.service_account)
        as_of = parse_date(args.as_of) if args.as_of else (settings.as_of if not args.source else None)
        workbook = make_source(source_text, kind, settings.service_account).read()
    except (SourceError, CampaignFileError) as error:
        print(f"Ошибка: {error}", file=sys.stderr)
        return 2
    report = run(workbook.tabs, campaign, as_of=as_of, source=workbook.source, read_at=workbook.read_at)
    if args.command == "summary":
        if args.json:
            json.dump(report_to_dict(report), sys.stdout, ensure_ascii=False, indent=2)
            sys.stdout.write("\n")
        else:
            print(summary_text(report))
        return 0
    if args.json:
        json.dump(report_to_dict(report)["problems"], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(problems_text(report))
    return 1 if report.errors else 0
