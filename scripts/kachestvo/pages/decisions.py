"""Решения и рекомендации: meetings and decisions, addressed recommendations, monitoring criteria, questionnaires."""

from __future__ import annotations

from kachestvo.escape import text
from kachestvo.fmt import date
from kachestvo.pages.context import Context
from kachestvo.pages.render import root_of, section_page
from kachestvo.pages.section import Section
from kachestvo.pages.table import Column, Table

TABLES = ("meetings", "decisions", "recommendations", "criteria", "questionnaires")


def build(ctx: Context, site, env, section: Section) -> None:
    ds = ctx.ds
    root = root_of(section.path)
    meetings = [
        dict(
            date=date(m.date),
            body=m.body,
            agenda=m.agenda,
            heard=m.heard,
            doc=ctx.doc_link(m.document_id, root),
            decisions=ds["decisions"][ds["decisions"]["meeting_id"] == m.meeting_id].sort_values("number").to_dict("records"),
        )
        for m in ds["meetings"].sort_values("date").itertuples()
    ]
    other = ds["decisions"][ds["decisions"]["meeting_id"].isna()]
    decision_groups = [
        dict(
            kind=kind,
            doc=ctx.doc_link(g["document_id"].dropna().iloc[0], root) if g["document_id"].notna().any() else "",
            entries=g.sort_values("number").to_dict("records"),
        )
        for kind, g in other.groupby("kind", sort=True)
    ]
    recs = [
        dict(
            r,
            school=ctx.school_link(r["school_id"], root) if isinstance(r["school_id"], str) else None,
            doc=ctx.doc_link(r["document_id"], root),
        )
        for r in ds["recommendations"].sort_values("order").to_dict("records")
    ]
    crit = ds["criteria"][ds["criteria"]["purpose"] == "мониторинг"].sort_values("order")
    questionnaires = []
    for q in ds["questionnaires"].itertuples():
        items = ds["questionnaire_items"][ds["questionnaire_items"]["questionnaire_id"] == q.questionnaire_id]
        sections = [
            dict(name=name, entries=list(g.sort_values("order")["text"]))
            for name, g in items.sort_values("order").groupby("section", sort=False)
        ]
        scale = [s.strip() for s in q.scale.split(";")]
        questionnaires.append(
            dict(
                title=q.title,
                audience=q.audience,
                instruction=q.instruction,
                scale=scale,
                sections=sections,
                results=_results(ds, items, q.title, scale),
            )
        )
    section_page(
        site,
        env,
        section,
        meetings=meetings,
        decision_groups=decision_groups,
        recommendations=recs,
        criteria=Table(
            [
                Column("Критерий", lambda c: text(c.criterion)),
                Column("Показатель (в динамике по годам)", lambda c: text(c.indicator)),
            ],
            crit.itertuples(),
            caption="Критерии и показатели мониторинга реализации программ",
        ),
        questionnaires=questionnaires,
    )


def _results(ds, items, title: str, scale: list[str]) -> list[Table]:
    """Per year: for each statement, how many respondents chose each answer (all schools together)."""
    answers = ds["questionnaire_results"].merge(items[["item_id", "order", "text"]], on="item_id")
    out = []
    for year, g in answers.groupby("year", sort=True):
        counts = g.pivot_table(index=["order", "text"], columns="answer", values="respondents", aggfunc="sum", fill_value=0)
        columns = [Column("Утверждение", lambda key: text(key[1]))]
        columns += [Column(a, lambda key, a=a, counts=counts: str(int(counts.loc[key].get(a, 0)))) for a in scale]
        caption = f"Результаты анкеты «{title}», {int(year)} год: число ответов (школ: {g['school_id'].nunique()})"
        out.append(Table(columns, counts.index, caption=caption))
    return out


SECTION = Section(
    "resheniya",
    "Решения и рекомендации",
    "заседания, решения, адресные рекомендации, критерии мониторинга",
    TABLES + ("questionnaire_items", "questionnaire_results"),
    "decisions.md.j2",
    build,
    requires=TABLES,
    parts=(
        ("meetings", "заседания"),
        ("decisions", "решения"),
        ("recommendations", "адресные рекомендации"),
        (lambda ds: ds.has("criteria") and (ds["criteria"]["purpose"] == "мониторинг").any(), "критерии мониторинга"),
        ("questionnaires", "анкеты"),
    ),
)
