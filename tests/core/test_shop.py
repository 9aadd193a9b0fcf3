"""The shop's settings: name and time zone, changed by administrators only."""

import pytest

from inbox.errors import ChangedMeanwhile, InvalidInput, PermissionDenied
from inbox.services import shop


def test_a_new_store_has_a_shop_in_kyiv_time(world):
    current = shop.get(world.store)
    assert (current.name, current.time_zone, current.changed_at) == (
        "Our shop",
        "Europe/Kyiv",
        None,
    )
    assert current.zone.key == "Europe/Kyiv"


def test_an_admin_renames_the_shop_and_moves_its_time_zone(world):
    saved = shop.save(
        world.store, world.olga, "  Квіти Львова ", "Europe/Warsaw", now=world.clock.tick()
    )
    assert (saved.name, saved.time_zone) == ("Квіти Львова", "Europe/Warsaw")
    assert (saved.changed_by_name, saved.changed_at) == ("Olga Admin", world.clock.current)
    assert shop.get(world.store) == saved


def test_a_manager_cannot_change_the_shop(world):
    with pytest.raises(PermissionDenied):
        shop.save(world.store, world.anna, "Mine now", "UTC")
    assert shop.get(world.store).name == "Our shop"


@pytest.mark.parametrize(
    ("name", "zone", "says"),
    [("   ", "UTC", "cannot be empty"), ("x" * 101, "UTC", "at most 100"),
     ("Shop", "Mars/Olympus", "time zone"), ("Shop", "../../etc/passwd", "time zone")],
)  # fmt: skip
def test_a_bad_name_or_time_zone_is_refused_and_nothing_changes(world, name, zone, says):
    with pytest.raises(InvalidInput, match=says):
        shop.save(world.store, world.olga, name, zone)
    assert shop.get(world.store).time_zone == "Europe/Kyiv"


def test_a_form_drawn_before_another_admins_change_keeps_that_change(world):
    drawn = shop.get(world.store)
    shop.save(world.store, world.olga, "Renamed meanwhile", drawn.time_zone, drawn=drawn)
    # The second form changed only the time zone: the new name stays.
    saved = shop.save(world.store, world.olga, drawn.name, "Europe/Berlin", drawn=drawn)
    assert (saved.name, saved.time_zone) == ("Renamed meanwhile", "Europe/Berlin")
    # It changed the name too, which someone else changed since: refused, nothing written.
    with pytest.raises(ChangedMeanwhile, match="Renamed meanwhile"):
        shop.save(world.store, world.olga, "Mine", "UTC", drawn=drawn)
    assert shop.get(world.store).time_zone == "Europe/Berlin"
