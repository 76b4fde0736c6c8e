"""The Planning screen: pick a scenario, start a basing plan, follow it, read the proposal on the
map and the evidence; refusals (422, 429, 403) shown to the planner."""

import json
import re

import pytest
from playwright.async_api import expect

from medevac.dispatch.scenario import shipped_scenarios
from medevac.basing.routes import _shipped
from medevac.basing.runner import runner_key
from tests.console.conftest import screenshot_path
from tests.basing.instances import casualty, facility, helicopter, scenario

# Both helicopters stand at the hospital; the outpost's casualties are beyond the golden hour
# from there, so the proposal moves one forward.
TINY = scenario(
    [facility("hospital", {"lat": 6.0, "lon": 20.0}, tables=1), facility("outpost", {"lat": 7.2, "lon": 21.2})],
    [helicopter("h1", {"lat": 6.0, "lon": 20.0}), helicopter("h2", {"lat": 6.0, "lon": 20.0})],
    [casualty("c1", {"lat": 7.3, "lon": 21.3}, "A", 10), casualty("c2", {"lat": 6.1, "lon": 20.1}, "B", 11),
     casualty("c3", {"lat": 7.25, "lon": 21.25}, "A", 22)],
)
REFUSED = re.compile(r"status of (403|422|429)")


@pytest.fixture
def make_app(settings_for, tmp_path):
    """The service offering one tiny scenario (and a broken file it must leave out)."""
    from medevac.app import create_app

    (tmp_path / "tiny.json").write_text(TINY.model_dump_json())
    (tmp_path / "broken.json").write_text('{"name": "half a scenario"')
    return lambda **overrides: create_app(settings_for(scenarios_dir=tmp_path, **overrides))


def coverage_class(cell: dict) -> str:
    if cell["golden_hour_assets"] >= 2:
        return "backup"
    if cell["golden_hour_assets"] == 1:
        return "golden"
    return "surgery" if cell["surgery_2h"] else "uncovered"


async def demand_classes(page) -> list[str]:
    classes = await page.locator("path.demand-point").evaluate_all("ps => ps.map(p => p.getAttribute('class'))")
    return [re.search(r"coverage-(\w+)", c).group(1) for c in classes]


async def test_a_planner_starts_a_plan_and_reads_it_on_the_map(server, token, open_console, console_errors, db):
    headers = await token("observer", rights=("planning",))
    page = await open_console(headers)
    await page.get_by_role("link", name="Planning").click()
    await expect(page.get_by_label("Scenario", exact=True)).to_contain_text("tiny · 2 facilities, 2 assets, 3 casualties")
    assert await page.locator("#plan-scenario option").count() == 2  # tiny, paste; the broken file left out
    runs, error = page.get_by_label("Simulated runs per laydown"), page.locator("#plan-error")
    with console_errors.expecting(REFUSED):
        await runs.fill("0")  # a 422 names the field, next to its input
        await page.get_by_role("button", name="Start plan").click()
        await expect(error).to_contain_text("Plan refused")
        await expect(page.locator(".field", has=runs).locator(".field-error")).to_contain_text("request.runs")
        await runs.fill("2")
        demand = page.get_by_label("Demand")
        await demand.select_option("history")  # this mission has no 9-line requests yet
        await page.get_by_role("button", name="Start plan").click()
        await expect(page.locator(".field", has=demand).locator(".field-error")).to_contain_text("demand:")
        await demand.select_option("scenario")
        runner = server.app[runner_key]
        capacity, runner.capacity = runner.capacity, 0  # a full queue is a 429 with its wait
        await page.get_by_role("button", name="Start plan").click()
        await expect(error).to_contain_text("The planner is busy")
        await expect(error).to_contain_text("Try again in 60 s")
        runner.capacity = capacity
    await page.evaluate("""() => { window.planStates = [];
        new MutationObserver(() => planStates.push(document.getElementById('plan-state').textContent))
          .observe(document.getElementById('plan-state'), { childList: true, characterData: true, subtree: true }); }""")
    await page.get_by_role("button", name="Start plan").click()
    state = page.locator("#plan-state")
    await expect(state).to_have_attribute("data-status", "done", timeout=60_000)  # a bound, not a timing check
    await expect(error).to_be_empty()
    states = await page.evaluate("window.planStates")
    assert re.match(r"(Queued|Running: \w+) · \d+ %", states[0]) and states[-1] == "Plan ready.", states
    assert await page.locator("#plan-progress").evaluate("p => p.value") == 1

    job_id = json.loads(await page.evaluate("sessionStorage.getItem('medevac.plan')"))["id"]
    async with server.api(headers) as api:
        async with api.get(f"/v1/planning/basing/{job_id}") as reply:
            result = (await reply.json())["result"]
    assert await db.fetchval("SELECT count(*) FROM basing_jobs") == 1
    # The map: both laydowns, one arrow per move, demand points coloured as the API scored them.
    assert result["moves"], "the tiny theatre should need a move"
    await expect(page.locator("path.move-line")).to_have_count(len(result["moves"]))
    await expect(page.locator(".move-arrow.leaflet-marker-icon")).to_have_count(len(result["moves"]))
    for laydown in ("current", "proposed"):
        await expect(page.locator(f".laydown-{laydown}.leaflet-marker-icon")).to_have_count(
            len(set(result[laydown]["bases"].values())))
    await expect(page.locator(".facility-icon.candidate.leaflet-marker-icon")).to_have_count(2)
    await expect(page.locator("path.demand-point")).to_have_count(len(result["points"]))
    coverage = page.locator("#plan-coverage")
    for button, laydown, period in (("Proposed", "proposed", "day"), ("Today", "current", "day"),
                                    ("Night", "current", "night"), ("Proposed", "proposed", "night")):
        await page.get_by_role("button", name=button, exact=True).click()
        await expect(coverage).to_have_attribute("data-view", f"{laydown}-{period}")
        assert await demand_classes(page) == [coverage_class(p[laydown][period]) for p in result["points"]]
    assert "uncovered" in [coverage_class(p["current"]["day"]) for p in result["points"]]
    # The evidence: every figure is the API's, with its interval.
    evidence = result["evidence"]
    assert evidence["runs"] == 2
    table = page.locator("#plan-evidence")
    await expect(table.locator("caption")).to_contain_text("2 paired seeded runs")
    for metric, gain in (("golden_hour_share", "golden_hour_gain"), ("surgery_2h_share", "surgery_2h_gain"),
                         ("mean_time_to_care_min", "time_to_care_gain_min"), ("urgent_per_run", None)):
        cells = table.locator(f"tr[data-metric={metric}] td")
        expected = [evidence["current"][metric], evidence["proposed"][metric]] + ([evidence[gain]] if gain else [])
        for n, interval in enumerate(expected):
            shown = await cells.nth(n).evaluate(
                "td => [td.dataset.mean, td.dataset.low, td.dataset.high].map(x => x ? Number(x) : null)")
            assert shown == [interval[k] for k in ("mean", "low", "high")], (metric, n, shown, interval)
    golden = evidence["proposed"]["golden_hour_share"]["mean"]
    await expect(table.locator("tr[data-metric=golden_hour_share] td").nth(1)).to_contain_text(f"{golden * 100:.1f} %")
    await expect(page.locator("#plan-moves tbody tr")).to_have_count(len(result["moves"]))
    missed = [p["id"] for p in result["points"] if p["missed_per_run"]]
    if missed:
        await expect(page.locator("#plan-uncovered tbody tr").first).to_have_attribute(
            "data-point", max(result["points"], key=lambda p: p["missed_per_run"])["id"])
    await page.screenshot(path=screenshot_path("planning"), full_page=True)


async def test_without_the_planning_right_the_refusal_is_shown_and_no_job_is_made(server, token, open_console,
                                                                                   console_errors, db):
    page = await open_console(await token("observer"))
    await page.get_by_role("link", name="Planning").click()
    with console_errors.expecting(REFUSED):
        await page.get_by_role("button", name="Start plan").click()
        error = page.locator("#plan-error")
        await expect(error).to_contain_text("Not allowed")
        await expect(error).to_contain_text("needs the planning right")
    assert await page.locator("#plan-state").text_content() == ""
    assert await db.fetchval("SELECT count(*) FROM basing_jobs") == 0


def test_the_shipped_scenarios_are_offered():
    names = {s.name for s in _shipped(shipped_scenarios())}
    assert {"minusca-car-72h", "minusma-mali-72h", "masscal-mali-8h"} <= names
