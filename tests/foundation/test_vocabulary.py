"""Each domain word is declared once, in `medevac.vocabulary`, and every layer agrees on it."""

import re
from pathlib import Path

from medevac.dispatch.engine.model import DEFAULT_STANDARDS_MIN as ENGINE_STANDARDS
from medevac.missions.model import TimeStandards
from medevac.vocabulary import DEFAULT_STANDARDS_MIN

PACKAGE = Path(__file__).resolve().parents[2] / "medevac"
WORDS = "Precedence|PatientType|Security|SpecialEquipment|Equipment|Marking|AssetStatus|FacilityStatus"
DECLARATION = re.compile(rf"^({WORDS})\s*=\s*Literal\[", re.M)


def test_domain_words_are_declared_only_in_the_vocabulary():
    found = [f"{path.relative_to(PACKAGE)}: {m.group(1)}"
             for path in PACKAGE.rglob("*.py") if path.name != "vocabulary.py"
             for m in DECLARATION.finditer(path.read_text())]
    assert not found, found


def test_the_precedence_letters_are_spelled_out_once():
    spelled = [path.relative_to(PACKAGE) for path in PACKAGE.rglob("*.py")
               if re.search(r'\bPrecedence\b.*Literal\["A", "B", "C", "D", "E"\]|Literal\["A", "B", "C", "D", "E"\] \| None',
                            path.read_text())]
    assert [str(p) for p in spelled] == ["vocabulary.py"]


def test_engine_missions_and_monitoring_share_the_standards():
    assert ENGINE_STANDARDS == DEFAULT_STANDARDS_MIN
    assert {p: getattr(TimeStandards(), p) for p in "ABCDE"} == DEFAULT_STANDARDS_MIN
