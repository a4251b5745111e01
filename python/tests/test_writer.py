"""The writer: canonical bytes (spec §13), byte-identical to the original for every sample
model and valid vector, and refusals of models a reader would reject."""
import os
import stat

import numpy as np
import pytest

import nnm
from conftest import VECTORS, manifest, sample_models, vector_bytes

VALID = [name for name, expectation, _ in manifest() if expectation == "valid"]
# spec §13: the canonical writer writes no unknown section, and minor 1 exactly when a Rescale
# layer is present, so these two files cannot come back byte for byte; their tests are below.
NOT_CANONICAL = {"newer-minor-unknown-ancillary.nnm", "rescale-minor-0.nnm"}


@pytest.mark.parametrize("path", sample_models(), ids=lambda p: os.path.basename(os.path.dirname(p)))
def test_sample_models_are_written_back_byte_identical(path):
    with open(path, "rb") as f:
        original = f.read()
    model = nnm.load(path, verify=True)
    assert nnm.dumps(model) == original


@pytest.mark.parametrize("name", [n for n in VALID if n not in NOT_CANONICAL])
def test_valid_vectors_are_written_back_byte_identical(name):
    original = vector_bytes(name)
    assert nnm.dumps(nnm.loads(original, verify=True)) == original


def test_a_newer_file_is_written_in_the_canonical_1_0_form():
    original = vector_bytes("newer-minor-unknown-ancillary.nnm")
    model = nnm.loads(original, verify=True)
    written = nnm.dumps(model)
    again = nnm.loads(written, verify=True)
    assert again.version == (1, 0) and again == model and not again.warnings
    assert nnm.dumps(again) == written and len(written) < len(original)


def small_model():
    rng = np.random.default_rng(7)
    layers = [
        nnm.Layer.standardize(rng.normal(size=3), rng.uniform(0.5, 2, size=3)),
        nnm.Layer.linear(rng.normal(size=(5, 3)), rng.normal(size=5)),
        nnm.Layer.leaky_relu(5, 0.125),
        nnm.Layer.linear(rng.normal(size=(4, 5))),
        nnm.Layer.tanh(4), nnm.Layer.identity(4), nnm.Layer.relu(4),
        nnm.Layer.linear(rng.normal(size=(3, 4)), rng.normal(size=3)),
        nnm.Layer.softmax(3),
    ]
    metadata = {"user.flag": True, "train.epochs": 12, "train.lr": 0.01, "nnm.producer": "pytest",
                "train.hidden": np.array([5, 4], dtype=np.int64), "eval.curve": [0.5, -0.0, float("inf")],
                "data.class_names.0": "a", "data.class_names.1": "b", "data.class_names.2": "c",
                "data.feature_names.0": "x", "data.feature_names.1": "y", "data.feature_names.2": "z",
                "data.label_name": "kind"}
    history = nnm.History({"train_loss": [1.0, 0.5, float("nan")], "val_loss": [1.1, 0.6, 0.4]})
    recipe = nnm.Recipe("csv", 42, 0.1, 0.2, {"sha256": "ab" * 32})
    return nnm.Model(layers, metadata, history, recipe)


@pytest.mark.parametrize("options", [nnm.WriteOptions(), nnm.WriteOptions("zlib", False), nnm.WriteOptions("none")])
def test_a_new_model_reads_back_equal(options):
    model = small_model()
    data = nnm.dumps(model, options)
    back = nnm.loads(data, verify=True)
    assert back == model
    assert back.class_names == ["a", "b", "c"] and back.feature_names == ["x", "y", "z"]
    assert back.label_name == "kind"
    assert back.metadata["train.hidden"].dtype == np.int64 and back.metadata["eval.curve"].dtype == np.float64
    assert np.isnan(back.history["train_loss"][2])
    assert nnm.dumps(back) == data           # the options travel with the model read


def test_nan_history_values_are_written_as_the_canonical_quiet_nan():
    model = small_model()
    model.history = nnm.History({"train_loss": np.array([0x7FC00001, 0xFFC00000], dtype=np.uint32).view(np.float32)})
    back = nnm.loads(nnm.dumps(model), verify=True)
    assert list(back.history["train_loss"].view(np.uint32)) == [0x7FC00000, 0x7FC00000]


def test_tensor_bits_survive_exactly():
    special = np.array([0x7F800001, 0xFFFFFFFF, 0x80000000, 0x00000001, 0x7F7FFFFF, 0], dtype=np.uint32)
    weight = special.view(np.float32).reshape(2, 3)
    model = nnm.Model([nnm.Layer.linear(weight, [1, 2])])
    for options in (nnm.WriteOptions(), nnm.WriteOptions("none")):
        back = nnm.loads(nnm.dumps(model, options), verify=True)
        assert back.layers[0].tensors["weight"].view(np.uint32).tolist() == special.reshape(2, 3).tolist()


def test_a_large_tensor_is_split_into_1_MiB_blocks():
    weight = np.arange(600 * 1000, dtype=np.float32).reshape(600, 1000) / 7
    model = nnm.Model([nnm.Layer.linear(weight)])
    data = nnm.dumps(model)
    info = nnm.read_info(data)
    assert len(info.tensors[0].block_lengths) == 3 and info.tensors[0].codec_name == "zlib"
    back = nnm.loads(data, verify=True)
    assert np.array_equal(back.layers[0].tensors["weight"], weight)
    assert nnm.read_info(nnm.dumps(model, nnm.WriteOptions("none"))).tensors[0].codec_name == "none"


def test_empty_metadata_and_history_write_no_section():
    model = nnm.Model([nnm.Layer.relu(3)], {}, nnm.History({}))
    info = nnm.read_info(nnm.dumps(model))
    assert [s.type for s in info.sections] == ["LAYR", "TENS", "WGHT", "TAIL"]
    assert info.metadata is None and info.history is None


@pytest.mark.parametrize("change,error", [
    (lambda m: m.layers.insert(1, nnm.Layer.relu(7)), nnm.InconsistentModelError),
    (lambda m: m.layers[1].tensors.__setitem__("bias", np.zeros(2, np.float32)), nnm.InconsistentModelError),
    (lambda m: m.layers[2].params.__setitem__("slope", float("inf")), nnm.InconsistentModelError),
    (lambda m: m.layers[2].params.clear(), nnm.MalformedError),
    (lambda m: setattr(m, "layers", []), nnm.MalformedError),
    (lambda m: m.metadata.__setitem__("", 1), nnm.MalformedError),
    (lambda m: m.metadata.__setitem__("k" * 256, 1), nnm.LimitExceededError),
    (lambda m: m.metadata.update({"caf\u00e9": 1, "cafe\u0301": 2}), nnm.MalformedError),
    (lambda m: m.metadata.__setitem__("user.big", 1 << 63), nnm.MalformedError),
    (lambda m: m.metadata.__setitem__("user.empty", []), nnm.MalformedError),
    (lambda m: m.metadata.__setitem__("user.object", object()), nnm.MalformedError),
    (lambda m: m.metadata.__setitem__("user.long", "x" * ((1 << 20) + 1)), nnm.LimitExceededError),
    (lambda m: m.metadata.update({"k%05d" % i: i for i in range(4097)}), nnm.LimitExceededError),
    (lambda m: setattr(m.recipe, "test_fraction", 0.9), nnm.MalformedError),
    (lambda m: setattr(m.recipe, "validation_fraction", float("nan")), nnm.MalformedError),
    (lambda m: setattr(m.recipe, "seed", -1), nnm.MalformedError),
    (lambda m: setattr(m, "history", nnm.History({"a": [1.0], "b": [1.0, 2.0]})), nnm.MalformedError),
    (lambda m: setattr(m, "history", nnm.History({"s%d" % i: [] for i in range(65)})), nnm.LimitExceededError),
    (lambda m: setattr(m, "history", nnm.History({"s%d" % i: np.zeros(1 << 20) for i in range(5)})),
     nnm.LimitExceededError),                                     # 20 MiB: above a section's 16 MiB
    (lambda m: m.metadata.update({"user.s%d" % i: "x" * (1 << 20) for i in range(17)}), nnm.LimitExceededError),
])
def test_the_writer_refuses_what_a_reader_would_reject(change, error):
    model = small_model()
    change(model)
    with pytest.raises(error):
        nnm.dumps(model)


def test_save_is_atomic_and_keeps_the_mode(tmp_path):
    path = tmp_path / "m.nnm"
    model = small_model()
    nnm.save(model, path)
    assert nnm.load(path, verify=True) == model
    os.chmod(path, 0o600)
    model.metadata["user.note"] = "second"
    model.save(str(path))
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert nnm.load(path).metadata["user.note"] == "second"
    assert sorted(os.listdir(tmp_path)) == ["m.nnm"]
    broken = small_model()
    broken.layers.pop()
    broken.layers.append(nnm.Layer.relu(9))
    with pytest.raises(nnm.InconsistentModelError):
        nnm.save(broken, path)
    assert nnm.load(path).metadata["user.note"] == "second" and sorted(os.listdir(tmp_path)) == ["m.nnm"]


def test_a_rescale_layer_under_a_1_0_header_is_written_as_1_1():
    model = nnm.loads(vector_bytes("rescale-minor-0.nnm"), verify=True)
    written = nnm.dumps(model)
    assert nnm.loads(written, verify=True).version == (1, 1)
    assert written == vector_bytes("rescale.nnm") or nnm.loads(written) == model


def test_the_training_state_decides_the_minor_version_and_travels():
    model = nnm.loads(vector_bytes("state-adam.nnm"), verify=True)
    assert model.version == (1, 1) and model.training_state.optimizer == "adam"
    state = model.training_state
    model.training_state = None
    plain = nnm.loads(nnm.dumps(model), verify=True)
    assert plain.version == (1, 0) and plain.training_state is None
    plain.training_state = state
    assert nnm.dumps(plain) == vector_bytes("state-adam.nnm")


@pytest.mark.parametrize("change,error", [
    (lambda s: setattr(s.buffers[0], "tensor", "layers.0.weighT"), nnm.MalformedError),
    (lambda s: setattr(s.buffers[0], "values", np.array([1.0, float("nan")], dtype=np.float32)), nnm.MalformedError),
    (lambda s: setattr(s, "plan_epochs", 0), nnm.MalformedError),
    (lambda s: setattr(s, "optimizer", "lbfgs"), nnm.MalformedError),
    (lambda s: s.buffers.reverse(), nnm.MalformedError),
])
def test_the_writer_refuses_a_training_state_a_reader_would_drop(change, error):
    model = nnm.loads(vector_bytes("state-adam.nnm"), verify=True)
    change(model.training_state)
    with pytest.raises(error):
        nnm.dumps(model)


def test_the_weight_snapshots_decide_the_minor_version_and_travel():
    model = nnm.loads(vector_bytes("snap-three.nnm"), verify=True)
    assert model.version == (1, 1) and [s.epoch for s in model.weight_snapshots] == [1, 4, 20]
    snapshots = model.weight_snapshots
    model.weight_snapshots = None
    plain = nnm.loads(nnm.dumps(model), verify=True)
    assert plain.version == (1, 0) and plain.weight_snapshots is None
    plain.weight_snapshots = snapshots
    assert nnm.dumps(plain) == vector_bytes("snap-three.nnm")
    both = nnm.loads(vector_bytes("snap-after-state.nnm"), verify=True)
    assert nnm.dumps(both) == vector_bytes("snap-after-state.nnm")


@pytest.mark.parametrize("change", [
    lambda s: setattr(s[0], "values", np.array([1.0, 2.0], dtype=np.float32)),
    lambda s: setattr(s[0], "values", np.array([1.0, float("inf"), 0.0], dtype=np.float32)),
    lambda s: setattr(s[1], "epoch", 1),
    lambda s: setattr(s[0], "epoch", 0),
    lambda s: s.clear(),
])
def test_the_writer_refuses_snapshots_a_reader_would_drop(change):
    model = nnm.loads(vector_bytes("snap-three.nnm"), verify=True)
    change(model.weight_snapshots)
    with pytest.raises(nnm.MalformedError):
        nnm.dumps(model)
