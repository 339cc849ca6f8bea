"""Each reference prefix counts from 1 in each year: the year's first complaint is JB…000001 whatever came before."""
from engine_helpers import ROOM
from workflows.engine.models import ProcessInstance
from workflows.engine.references import next_reference


def test_each_prefix_and_year_has_its_own_counter(services, lookup, clock):
    year = clock.now().year
    grid = lookup.user("wjs_grid")
    first = services.workflow.start("six_step_case", {}, grid, lookup.area(ROOM), "一")
    second = services.workflow.start("six_step_case", {}, grid, lookup.area(ROOM), "二")
    assert first.reference == f"AJ{year}000001" and second.reference == f"AJ{year}000002"
    with services.db.unit_of_work() as s:
        assert next_reference(s, "JB", year) == f"JB{year}000001"
        assert next_reference(s, "JB", year) == f"JB{year}000002"
        assert next_reference(s, "AJ", year + 1) == f"AJ{year + 1}000001"
    with services.db.read() as s:
        assert s.get(ProcessInstance, second.instance_id).reference.startswith("AJ")


def test_a_rolled_back_action_gives_its_number_back(services, clock):
    year = clock.now().year
    try:
        with services.db.unit_of_work() as s:
            next_reference(s, "WB", year)
            raise RuntimeError("the action fails")
    except RuntimeError:
        pass
    with services.db.unit_of_work() as s:
        assert next_reference(s, "WB", year) == f"WB{year}000001"
