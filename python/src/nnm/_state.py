"""The ``trst`` section, the training state (spec §10a, format 1.1): where training stood when
the file was written, so that a later run can continue exactly. The package reads it (checked in
the spec's order; a broken one is dropped like any damaged ancillary section), keeps it on the
model and writes it back unchanged, so a model read and written again keeps its bytes. It does
not train: the state is only carried."""

import math
import struct
from dataclasses import dataclass, field
from typing import List, Tuple

import numpy as np

from . import _wire as w
from .errors import fail

OPTIMIZERS = {1: "sgd", 2: "momentum", 3: "nesterov", 4: "adam"}
OPTIMIZER_IDS = {name: key for key, name in OPTIMIZERS.items()}
# Slots each optimizer keeps: 0 the weights training continues from, 1 the first moment
# (velocity), 2 Adam's second moment.
OPTIMIZER_SLOTS = {"sgd": {0}, "momentum": {0, 1}, "nesterov": {0, 1}, "adam": {0, 1, 2}}
MAX_BUFFERS = 3 * w.MAX_TENSORS
HEAD_LENGTH = 81  # the fixed fields before buffer_count


@dataclass
class StateBuffer:
    """One buffer of the state: ``tensor`` (a tensor name of the file), ``slot`` and its
    float32 ``values`` (as many as the tensor has elements)."""

    tensor: str
    slot: int
    values: np.ndarray

    def __eq__(self, other):
        if not isinstance(other, StateBuffer):
            return NotImplemented
        return (self.tensor == other.tensor and self.slot == other.slot
                and np.asarray(self.values, dtype="<f4").tobytes() == np.asarray(other.values, dtype="<f4").tobytes())

    __hash__ = None


@dataclass
class TrainingState:
    """The fields of spec §10a; ``partial_loss_sum`` is kept as its binary64 value."""

    optimizer: str
    step_count: int
    plan_epochs: int
    plan_epochs_done: int
    batches_per_epoch: int
    batches_done: int
    shuffle_state: Tuple[int, int, int, int]
    partial_loss_sum: float
    partial_correct: int
    partial_samples: int
    buffers: List[StateBuffer] = field(default_factory=list)

    def __eq__(self, other):
        if not isinstance(other, TrainingState):
            return NotImplemented
        return encode(self) == encode(other)

    __hash__ = None


def _check_head(opt, steps, plan, done, per_epoch, batches_done, shuffle, loss_bits, correct, samples):
    """The fixed fields' rules of §10a, in the spec's order."""
    if opt not in OPTIMIZERS:
        fail("malformed", "trst optimizer id %d is unknown" % opt)
    if plan == 0:
        fail("malformed", "trst plan_epochs is 0")
    if plan > w.MAX_EPOCHS:
        fail("limitExceeded", "trst plan_epochs %d (limit 2^22)" % plan)
    if per_epoch == 0:
        fail("malformed", "trst batches_per_epoch is 0")
    if done > plan or (batches_done > 0 and done == plan):
        fail("malformed", "trst: %d epochs done of a plan of %d (batches_done %d)" % (done, plan, batches_done))
    if batches_done >= per_epoch:
        fail("malformed", "trst: %d batches done of an epoch of %d" % (batches_done, per_epoch))
    if steps < done * per_epoch + batches_done:
        fail("malformed", "trst step_count %d is below the schedule's position" % steps)
    if not any(shuffle):
        fail("malformed", "trst shuffle state is all zero")
    loss = struct.unpack("<d", struct.pack("<Q", loss_bits))[0]
    if batches_done == 0:
        ok = loss_bits == 0 and correct == 0 and samples == 0
    else:
        ok = math.isfinite(loss) and correct <= samples
    if not ok:
        fail("malformed", "trst partial epoch sums do not fit batches_done %d" % batches_done)
    return loss


def parse(data, start, end, tensors):
    """The state in ``data[start:end]``; ``tensors``: (name bytes, element count) of the file's
    tensor table, in table order."""
    c = w.Cursor(data, start, end, "trst payload")
    opt, steps = c.u8("optimizer"), c.u64("step_count")
    plan, done = c.u32("plan_epochs"), c.u32("plan_epochs_done")
    per_epoch, batches_done = c.u32("batches_per_epoch"), c.u32("batches_done")
    shuffle = tuple(c.u64("shuffle_state") for _ in range(4))
    loss_bits, correct, samples = c.u64("partial_loss_sum"), c.u64("partial_correct"), c.u64("partial_samples")
    loss = _check_head(opt, steps, plan, done, per_epoch, batches_done, shuffle, loss_bits, correct, samples)
    count = c.u32("buffer_count")
    if count > MAX_BUFFERS:
        fail("limitExceeded", "trst has %d buffers (limit %d)" % (count, MAX_BUFFERS))
    c.need(12 * count, "trst buffers")
    index = {raw: (i, elements) for i, (raw, elements) in enumerate(tensors)}
    previous, buffers = None, []
    for i in range(count):
        raw, name = c.sstr("trst buffer %d tensor" % i)
        slot, elements = c.u8("slot"), c.u32("element_count")
        if raw not in index:
            fail("malformed", "trst buffer %d names %r, not a tensor of the file" % (i, name))
        if slot not in OPTIMIZER_SLOTS[OPTIMIZERS[opt]]:
            fail("malformed", "trst buffer %d has slot %d, which %s does not keep" % (i, slot, OPTIMIZERS[opt]))
        key = (index[raw][0], slot)
        if previous is not None and key <= previous:
            fail("malformed", "trst buffer %d is not after the one before it" % i)
        previous = key
        if elements != index[raw][1]:
            fail("malformed", "trst buffer %d has %d elements, tensor %r has %d" % (i, elements, name, index[raw][1]))
        values = np.frombuffer(c.take(4 * elements, "trst buffer %d values" % i), dtype="<f4").copy()
        if not np.all(np.isfinite(values)):
            fail("malformed", "trst buffer %d holds a NaN or infinity" % i)
        buffers.append(StateBuffer(name, slot, values))
    c.expect_end()
    return TrainingState(OPTIMIZERS[opt], steps, plan, done, per_epoch, batches_done, shuffle, loss,
                         correct, samples, buffers)


def encode(state):
    """The ``trst`` payload of ``state`` (fields in §10a's order; it is not checked here)."""
    out = w.ByteWriter(w.MAX_SECTION_PAYLOAD, "trst section")
    out.u8(OPTIMIZER_IDS.get(state.optimizer, 0))
    out.u64(int(state.step_count))
    for value in (state.plan_epochs, state.plan_epochs_done, state.batches_per_epoch, state.batches_done):
        out.u32(int(value))
    for word in state.shuffle_state:
        out.u64(int(word))
    out.f64(float(state.partial_loss_sum))
    out.u64(int(state.partial_correct))
    out.u64(int(state.partial_samples))
    out.u32(len(state.buffers))
    for buffer in state.buffers:
        out.sstr(buffer.tensor.encode("utf-8"))
        out.u8(int(buffer.slot))
        values = np.ascontiguousarray(buffer.values, dtype="<f4").reshape(-1)
        out.u32(values.size)
        out.raw(values.tobytes())
    return out.bytes()


def checked_payload(state, tensors):
    """The payload of ``state``, after checking that a reader would accept it against
    ``tensors`` ((name bytes, element count) in table order): the writer's side of §10a."""
    if not isinstance(state, TrainingState):
        raise TypeError("training_state must be an nnm.TrainingState, got %s" % type(state).__name__)
    if state.optimizer not in OPTIMIZER_IDS:
        fail("malformed", "the training state's optimizer %r is not one of %s"
             % (state.optimizer, ", ".join(OPTIMIZER_IDS)))
    payload = encode(state)
    parse(payload, 0, len(payload), tensors)
    return payload
