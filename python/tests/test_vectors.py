"""Every vector of spec/vectors: valid files read and verify with the content of their
.expected.json, bit for bit; invalid ones fail with the manifest's error identifier, at the
stage (reading or full verification) the manifest says."""
import json
import os
import struct

import numpy as np
import pytest

import nnm
from conftest import VECTORS, manifest, vector_bytes

ENTRIES = manifest()
VALID = [name for name, expectation, _ in ENTRIES if expectation == "valid"]
# Vectors whose keys use code points added after Python's own Unicode data (spec §8): they need
# unicodedata2 17.0 (`pip install ./python[unicode17]`; .ci/run installs it).
NEEDS_UNICODE_17 = {"meta-kirat-rai-equivalent.nnm"}


def needs_unicode(name):
    if name in NEEDS_UNICODE_17 and int(nnm.UNICODE_VERSION.split(".")[0]) < 17:
        pytest.skip("%s needs Unicode 17.0 data; this Python has %s (pip install unicodedata2)"
                    % (name, nnm.UNICODE_VERSION))


def f64_bits(value):
    return "0x%016x" % struct.unpack("<Q", struct.pack("<d", value))[0]


def kv_json(entries):
    """A metadata dict in the expected.json form (doubles as f64 bit patterns)."""
    out = []
    for key, value in entries.items():
        if isinstance(value, bool):
            out.append({"key": key, "type": "bool", "value": value})
        elif isinstance(value, int):
            out.append({"key": key, "type": "int", "value": value})
        elif isinstance(value, float):
            out.append({"key": key, "type": "double", "value": f64_bits(value)})
        elif isinstance(value, str):
            out.append({"key": key, "type": "string", "value": value})
        elif value.dtype == np.int64:
            out.append({"key": key, "type": "ints", "value": [int(v) for v in value]})
        else:
            out.append({"key": key, "type": "doubles", "value": [f64_bits(float(v)) for v in value]})
    return out


def test_manifest_lists_every_vector():
    listed = {name for name, _, _ in ENTRIES}
    on_disk = {f for f in os.listdir(VECTORS) if f.endswith(".nnm")}
    assert listed == on_disk
    assert len(VALID) >= 9


def test_identifiers_are_the_conformance_kits():
    import importlib.machinery
    import importlib.util
    path = os.path.join(VECTORS, "..", "conformance", "run")
    loader = importlib.machinery.SourceFileLoader("conformance_run", path)
    runner = importlib.util.module_from_spec(importlib.util.spec_from_loader("conformance_run", loader))
    loader.exec_module(runner)
    assert set(nnm.IDENTIFIERS) == runner.IDENTIFIERS
    for identifier in nnm.IDENTIFIERS:
        assert nnm.error_class(identifier).identifier == identifier


@pytest.mark.parametrize("name", VALID)
def test_valid_vector_content(name):
    needs_unicode(name)
    model = nnm.load(os.path.join(VECTORS, name), verify=True)
    assert model.verified
    expected_path = os.path.join(VECTORS, name + ".expected.json")
    if not os.path.exists(expected_path):
        return
    with open(expected_path, encoding="utf-8") as f:
        expected = json.load(f)
    assert "%d.%d" % model.version == expected["version"]
    assert model.digest == expected["digest"]
    got_layers = [{"kind": l.kind.name, "inputs": l.inputs, "outputs": l.outputs} for l in model.layers]
    for got, layer, want in zip(got_layers, model.layers, expected["layers"]):
        if "slope_bits" in want:
            got["slope_bits"] = "0x%08x" % np.float32(layer.params["slope"]).view(np.uint32)
    assert got_layers == expected["layers"]
    tensors = model.tensors
    assert list(tensors) == [t["name"] for t in expected["tensors"]]
    for want in expected["tensors"]:
        array = tensors[want["name"]]
        assert array.dtype == np.float32 and list(array.shape) == want["shape"]
        assert "0x%08x" % (__import__("zlib").crc32(array.tobytes())) == want["raw_crc32"]
        bits = ["0x%08x" % b for b in array.reshape(-1).view(np.uint32)[:len(want["first_values_bits"])]]
        assert bits == want["first_values_bits"]
    assert (None if not model.metadata else kv_json(model.metadata)) == expected["metadata"]
    history = model.history
    assert (None if history is None else {"epochs": history.epochs, "series": [
        {"name": n, "values_bits": ["0x%08x" % b for b in v.view(np.uint32)]} for n, v in history.series.items()]}
    ) == expected["history"]
    recipe = model.recipe
    assert (None if recipe is None else {
        "generator": recipe.generator, "seed": recipe.seed,
        "validation_fraction_bits": f64_bits(recipe.validation_fraction),
        "test_fraction_bits": f64_bits(recipe.test_fraction), "parameters": kv_json(recipe.parameters)}
    ) == expected["recipe"]
    assert state_json(model.training_state) == expected.get("training_state")
    assert snapshots_json(model.weight_snapshots) == expected.get("snapshots")


def snapshots_json(snapshots):
    """The weight snapshots (spec §10b) as the vectors' .expected.json give them."""
    if snapshots is None:
        return None
    return [{"epoch": s.epoch, "values_bits": ["0x%08x" % v for v in np.asarray(s.values, dtype="<f4").view("<u4")]}
            for s in snapshots]


def state_json(state):
    """The training state (spec §10a) as the vectors' .expected.json give it."""
    if state is None:
        return None
    return {"optimizer": state.optimizer, "step_count": state.step_count, "plan_epochs": state.plan_epochs,
            "plan_epochs_done": state.plan_epochs_done, "batches_per_epoch": state.batches_per_epoch,
            "batches_done": state.batches_done, "shuffle_state": ["0x%016x" % word for word in state.shuffle_state],
            "partial_loss_sum_bits": f64_bits(state.partial_loss_sum), "partial_correct": state.partial_correct,
            "partial_samples": state.partial_samples,
            "buffers": [{"tensor": b.tensor, "slot": b.slot,
                         "values_bits": ["0x%08x" % v for v in np.asarray(b.values, dtype="<f4").view("<u4")]}
                        for b in state.buffers]}


@pytest.mark.parametrize("name,error", [(n, e) for n, x, e in ENTRIES if x == "read-error"])
def test_read_error_vector(name, error):
    needs_unicode(name)
    with pytest.raises(nnm.error_class(error)) as caught:
        nnm.read_info(os.path.join(VECTORS, name))
    assert caught.value.identifier == error
    assert str(caught.value) and "\n" not in str(caught.value)
    with pytest.raises(nnm.error_class(error)):
        nnm.loads(vector_bytes(name), verify=True)


@pytest.mark.parametrize("name,error", [(n, e) for n, x, e in ENTRIES if x == "verify-error"])
def test_verify_error_vector(name, error):
    needs_unicode(name)
    info = nnm.read_info(os.path.join(VECTORS, name), warn=False)
    assert info.layers
    with pytest.raises(nnm.error_class(error)) as caught:
        nnm.load(os.path.join(VECTORS, name), verify=True, warn=False)
    assert caught.value.identifier == error


def test_damaged_history_is_dropped_with_a_warning_on_load():
    with pytest.warns(nnm.NNMWarning, match="hist"):
        model = nnm.load(os.path.join(VECTORS, "hist-crc.nnm"))
    assert model.history is None and model.layers
    assert any("hist" in note for note in model.warnings)


def test_newer_minor_version_is_read_and_its_unknown_section_skipped():
    info = nnm.read_info(os.path.join(VECTORS, "newer-minor-unknown-ancillary.nnm"))
    assert info.version == (1, 1)
    assert info.unknown_sections == ["xtRa"]
    assert any("xtRa" in note for note in info.warnings)
