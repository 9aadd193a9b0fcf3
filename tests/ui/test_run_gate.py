"""Script runs take turns, and a person's run goes before the live check's reruns."""

import threading
import time

from streamlit.testing.v1 import AppTest

from components.run_gate import RunGate


def test_no_more_runs_go_at_once_than_the_gate_allows():
    gate, lock = RunGate(at_once=2), threading.Lock()
    running, most = [0], [0]

    def run(asked_by_person: bool) -> None:
        with gate.turn(asked_by_person):
            with lock:
                running[0] += 1
                most[0] = max(most[0], running[0])
            time.sleep(0.05)
            with lock:
                running[0] -= 1

    threads = [threading.Thread(target=run, args=(n % 2 == 0,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert most[0] == 2
    assert running[0] == 0


def test_a_persons_run_goes_before_reruns_that_were_waiting_longer():
    gate, order = RunGate(at_once=1), []
    release = threading.Event()

    def hold() -> None:
        with gate.turn(asked_by_person=True):
            release.wait(10)

    def run(name: str, asked_by_person: bool) -> None:
        with gate.turn(asked_by_person):
            order.append(name)

    holder = threading.Thread(target=hold)
    holder.start()
    time.sleep(0.05)
    waiting = [threading.Thread(target=run, args=(f"check {n}", False)) for n in range(3)]
    for thread in waiting:
        thread.start()
    time.sleep(0.05)
    person = threading.Thread(target=run, args=("click", True))
    person.start()
    time.sleep(0.05)
    release.set()
    for thread in [holder, person, *waiting]:
        thread.join(timeout=10)
    assert order[0] == "click"
    assert sorted(order[1:]) == ["check 0", "check 1", "check 2"]


def test_a_run_is_the_live_checks_only_when_its_value_is_new():
    def script():
        import streamlit as st

        from components import live

        st.write("check" if live.asked_by_check() else "person")

    at = AppTest.from_function(script).run()
    assert at.markdown[0].value == "person"
    at.session_state["live-check"] = {"reason": "changed", "reruns": 1}
    at.run()
    assert at.markdown[0].value == "check"
    at.run()  # a click: the check's value is the one the last run saw
    assert at.markdown[0].value == "person"
    at.session_state["live-check"] = {"reason": "changed", "reruns": 2}
    at.run()
    assert at.markdown[0].value == "check"


def test_a_rerun_that_waited_its_patience_goes_even_while_people_wait():
    gate, order = RunGate(at_once=1, patience=0.3), []
    stop = threading.Event()

    def clicks() -> None:  # one person's run after another, with no gap
        while not stop.is_set():
            with gate.turn(asked_by_person=True):
                time.sleep(0.02)
            order.append("click")

    def rerun() -> None:
        with gate.turn(asked_by_person=False):
            order.append("check")

    people = [threading.Thread(target=clicks) for _ in range(2)]
    for thread in people:
        thread.start()
    time.sleep(0.05)
    started = time.monotonic()
    check = threading.Thread(target=rerun)
    check.start()
    check.join(timeout=5)
    waited = time.monotonic() - started
    stop.set()
    for thread in people:
        thread.join(timeout=5)
    assert "check" in order
    assert 0.25 <= waited < 2


def test_a_rerun_waiting_in_line_leaves_it_when_its_page_asks_for_a_newer_run():
    gate, order = RunGate(at_once=1), []
    release, clicked = threading.Event(), threading.Event()

    class GaveWay(Exception):
        pass

    def give_way() -> None:
        if clicked.is_set():
            raise GaveWay

    def hold() -> None:
        with gate.turn(asked_by_person=True):
            release.wait(10)
        order.append("held")

    def rerun() -> None:
        try:
            with gate.turn(asked_by_person=False, give_way=give_way):
                order.append("check ran")
        except GaveWay:
            order.append("check gave way")

    holder = threading.Thread(target=hold)
    holder.start()
    time.sleep(0.05)
    check = threading.Thread(target=rerun)
    check.start()
    time.sleep(0.1)
    clicked.set()
    check.join(timeout=2)
    assert order == ["check gave way"], "it left while the slot was still taken"
    release.set()
    holder.join(timeout=5)
    with gate.turn(asked_by_person=True):  # the line is intact: the next run gets its turn
        order.append("next")
    assert order == ["check gave way", "held", "next"]


def test_giving_way_ends_the_run_for_the_newer_one_the_page_asked_for():
    def script():
        import streamlit as st
        from streamlit.runtime.scriptrunner import get_script_run_ctx
        from streamlit.runtime.scriptrunner_utils.script_requests import RerunData

        from components.run_gate import give_way_to_a_newer_run

        st.session_state.runs = st.session_state.get("runs", 0) + 1
        give_way_to_a_newer_run()  # nothing newer asked: the run goes on
        if st.session_state.runs == 1:
            run = get_script_run_ctx()
            run.script_requests.request_rerun(
                RerunData(query_string=run.query_string, page_script_hash=run.page_script_hash)
            )
            give_way_to_a_newer_run()
            st.write("went on")
        st.write(f"run {st.session_state.runs}")

    at = AppTest.from_function(script).run()
    assert [m.value for m in at.markdown] == ["run 2"]


def test_a_long_run_stops_holding_its_slot_so_that_one_slow_page_holds_up_nobody_for_long():
    gate, done = RunGate(at_once=1, long_run=0.3), threading.Event()
    order = []

    def slow_report() -> None:
        with gate.turn(asked_by_person=True):
            done.wait(5)
        order.append("report")

    report = threading.Thread(target=slow_report)
    report.start()
    time.sleep(0.05)
    started = time.monotonic()
    with gate.turn(asked_by_person=True):
        waited = time.monotonic() - started
        order.append("click")
    done.set()
    report.join(timeout=5)
    assert order == ["click", "report"], "the click did not wait for the report to end"
    assert 0.2 <= waited < 1.5, "it waited while the report was still short"
