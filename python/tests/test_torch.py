"""The PyTorch bridge, against torch itself. Skipped when torch is not importable (CI does not
install it: too large)."""
import os

import numpy as np
import pytest

import nnm
from conftest import VECTORS, sample_models

torch = pytest.importorskip("torch")


def inputs(model, rows=512, seed=0):
    rng = np.random.default_rng(seed)
    return rng.uniform(-3, 3, size=(rows, model.input_width)).astype(np.float32)


@pytest.mark.parametrize("path", sample_models() + [os.path.join(VECTORS, "every-kind-zlib.nnm")],
                         ids=lambda p: os.path.basename(os.path.dirname(p)) if "samples" in p else os.path.basename(p))
def test_to_torch_computes_what_the_model_computes(path):
    model = nnm.load(path)
    network = model.to_torch()
    assert isinstance(network, torch.nn.Sequential) and not network.training
    x = inputs(model)
    with torch.no_grad():
        theirs = network(torch.from_numpy(x)).numpy()
    assert np.max(np.abs(model.forward(x) - theirs)) <= 1e-5
    assert np.max(np.abs(model.forward(x, precision="float64") - theirs)) <= 1e-5
    for name, array in model.tensors.items():
        index, role = name.split(".")[1:]
        assert np.array_equal(network.state_dict()["%s.%s" % (index, role)].numpy(), array)


@pytest.mark.parametrize("path", sample_models() + [os.path.join(VECTORS, "every-kind-zlib.nnm")])
def test_a_model_comes_back_from_torch_bit_for_bit(path):
    model = nnm.load(path)
    back = nnm.from_torch(model.to_torch(), metadata=model.metadata, history=model.history, recipe=model.recipe)
    assert back == model
    assert nnm.dumps(back, model.write_options) == nnm.dumps(model)


def test_a_network_trained_in_torch_runs_the_same_from_its_nnm_file(tmp_path):
    torch.manual_seed(0)
    network = torch.nn.Sequential(
        torch.nn.Linear(4, 16), torch.nn.LeakyReLU(0.05), torch.nn.Dropout(0.1),
        torch.nn.Sequential(torch.nn.Linear(16, 8), torch.nn.Tanh()),
        torch.nn.Linear(8, 3), torch.nn.Softmax(dim=1))
    x = torch.randn(256, 4)
    labels = (x[:, 0] > 0).long() + (x[:, 1] > 0).long()
    optimizer = torch.optim.Adam(network.parameters(), lr=0.01)
    for _ in range(50):
        optimizer.zero_grad()
        loss = torch.nn.functional.nll_loss(torch.log(network(x) + 1e-9), labels)
        loss.backward()
        optimizer.step()
    network.eval()
    model = nnm.from_torch(network, metadata={"data.class_names.0": "none", "data.class_names.1": "one",
                                              "data.class_names.2": "both"})
    assert [layer.kind.name for layer in model.layers] == ["Linear", "LeakyReLU", "Linear", "Tanh", "Linear", "Softmax"]
    path = tmp_path / "torch.nnm"
    model.save(path)
    loaded = nnm.load(path, verify=True)
    with torch.no_grad():
        expected = network(x).numpy()
    assert np.max(np.abs(loaded.predict_proba(x.numpy()) - expected)) <= 1e-6
    assert loaded.class_names == ["none", "one", "both"]


def test_standardize_and_bias_free_linear():
    network = torch.nn.Sequential(torch.nn.Linear(3, 2, bias=False), torch.nn.Sigmoid())
    model = nnm.from_torch(network)
    assert np.array_equal(model.layers[0].tensors["bias"], np.zeros(2, np.float32))
    standardize = nnm.from_torch([nnm.standardize_module([1.0, 2.0], [0.5, 4.0]), torch.nn.Identity()])
    assert standardize.forward([[3.0, 1.0]]).tolist() == [[1.0, -4.0]]


def test_unsupported_modules_are_named():
    with pytest.raises(ValueError, match="Conv1d"):
        nnm.from_torch(torch.nn.Sequential(torch.nn.Conv1d(1, 1, 3)))
    with pytest.raises(ValueError, match="input_width"):
        nnm.from_torch(torch.nn.Sequential(torch.nn.ReLU()))
    assert nnm.from_torch(torch.nn.Sequential(torch.nn.ReLU()), input_width=4).input_width == 4
    with pytest.raises(ValueError, match="Softmax"):
        nnm.from_torch(torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Softmax(dim=0)))
    with pytest.raises(nnm.InconsistentModelError):
        nnm.from_torch(torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Linear(4, 1)))
