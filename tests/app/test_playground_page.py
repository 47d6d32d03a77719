"""AppTest: the playground page trains in the background, steps, resets, explains bad input,
and shows the Keras code of what is on screen."""

import time

from tests.app.helpers import assert_clean, open_page


def wait_for_job(at, timeout=120):
    from ui.session import registry

    job = registry().get(at.session_state["playground_job_id"])
    deadline = time.time() + timeout
    while job.status in ("queued", "running") and time.time() < deadline:
        time.sleep(0.2)
    return job


def test_defaults_show_the_data_and_the_keras_code():
    at = open_page("playground")
    assert_clean(at)
    assert at.selectbox(key="playground_dataset").value == "circle"
    assert any("keras.Sequential" in c.value and "sin(np.pi * x[:, 0])" in c.value for c in at.code)
    assert any("Not trained yet" in c.value for c in at.caption)


def test_train_step_and_reset_on_a_small_run():
    at = open_page("playground")
    at.select_slider(key="playground_points").set_value(100)
    at.number_input(key="playground_epochs").set_value(10)
    at.number_input(key="playground_layers").set_value(1).run()
    at.button(key="playground_train").click().run()
    assert_clean(at)
    job = wait_for_job(at)
    assert job.status == "done", job.snapshot().error
    at.run()
    assert_clean(at)
    assert at.metric[0].value == "10"  # epoch
    assert any("after epoch 10" in str(getattr(e, "proto", "")) for e in at.get("plotly_chart"))
    at.button(key="playground_step").click().run()
    assert wait_for_job(at).status == "done"
    at.run()
    assert at.metric[0].value == "11"  # one more epoch, carried on from the same weights
    at.button(key="playground_reset").click().run()
    assert at.session_state["playground_job_id"] is None
    assert any("Not trained yet" in c.value for c in at.caption)


def test_own_points_need_two_classes_and_bad_settings_are_explained():
    at = open_page("playground", lang="es")
    at.selectbox(key="playground_dataset").set_value("own").run()
    assert_clean(at)
    assert any("al menos dos clases" in i.value for i in at.info)  # no points yet: said, not an error
    at.session_state["playground_own_points"] = [[0.1, 0.1, 0], [0.2, 0.2, 0], [0.3, 0.3, 0], [0.4, 0.4, 0]]
    at.button(key="playground_train").click().run()
    assert not at.exception
    assert any("al menos dos clases" in e.value for e in at.error)
    at.selectbox(key="playground_dataset").set_value("circle")
    at.multiselect(key="playground_features").set_value([]).run()
    assert any("característica" in e.value for e in at.error)  # the code cannot be written: said why
    at.button(key="playground_train").click().run()
    assert any("característica" in e.value for e in at.error) and not at.exception


def test_csv_upload_gives_own_points_and_a_bad_row_is_named():
    at = open_page("playground")
    at.selectbox(key="playground_dataset").set_value("own").run()
    rows = "x1,x2,label\n" + "\n".join(f"{x / 10},{y / 10},{int(x * y > 0)}" for x in (-5, -2, 3, 6) for y in (-4, 5))
    at.file_uploader(key="playground_csv").set_value(("mine.csv", rows.encode(), "text/csv")).run()
    assert_clean(at)
    assert len(at.session_state["playground_own_points"]) == 8
    assert any("Read 8 points from mine.csv" in s.value for s in at.success)
    assert any("rows = np.array([" in c.value for c in at.code)  # the exported script carries them
    at.file_uploader(key="playground_csv").set_value(("bad.csv", b"0.1,0.2,1\n0.3,oops,0\n", "text/csv")).run()
    assert not at.exception
    assert any("Row 2" in e.value and "oops" in e.value for e in at.error)
    assert len(at.session_state["playground_own_points"]) == 8  # the good points stay


def test_a_typed_formula_is_checked_and_regenerate_moves_the_seed():
    at = open_page("playground")
    at.selectbox(key="playground_dataset").set_value("reg-function").run()
    assert_clean(at)
    at.text_input(key="playground_expression").set_value("__import__('os').system('ls')").run()
    assert not at.exception
    assert any("not a function you may use" in e.value for e in at.error)
    at.text_input(key="playground_expression").set_value("x1^2 * 5").run()
    assert_clean(at)
    assert any("divided by 4.9" in c.value for c in at.caption)  # the largest of 400 values of 5·x1², near 5
    assert any("mean_squared_error" in c.value and "rows = np.array([" in c.value for c in at.code)
    seed = at.number_input(key="playground_seed").value
    at.button(key="playground_regenerate").click().run()
    assert at.number_input(key="playground_seed").value == seed + 1
