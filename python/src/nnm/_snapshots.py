"""The ``snap`` section, the weight snapshots (spec §10b, format 1.1): the model's complete
parameter set at chosen epochs of its training run (``nnm-train --snapshots N``). The package
reads it (checked in the spec's order; a broken one is dropped like any damaged ancillary
section), keeps it on the model as ``model.weight_snapshots`` and writes it back unchanged, so a
model read and written again keeps its bytes."""

from dataclasses import dataclass
from typing import List

import numpy as np

from . import _wire as w
from .errors import fail

MAX_SNAPSHOTS = 64


@dataclass
class Snapshot:
    """The parameters at the end of ``epoch`` (1-based, as the history counts): every tensor of
    the file's tensor table, in table order, concatenated into one float32 array ``values``."""

    epoch: int
    values: np.ndarray

    def __eq__(self, other):
        if not isinstance(other, Snapshot):
            return NotImplemented
        return self.epoch == other.epoch and \
            np.asarray(self.values, dtype="<f4").tobytes() == np.asarray(other.values, dtype="<f4").tobytes()

    __hash__ = None


def parse(data, start, end, parameter_count) -> List[Snapshot]:
    """The snapshots in ``data[start:end]`` of a file whose tensors hold ``parameter_count``
    values in all, checked in §10b's order."""
    c = w.Cursor(data, start, end, "snap payload")
    count, per = c.u32("snapshot_count"), c.u32("values_per_snapshot")
    if count == 0:
        fail("malformed", "snap snapshot_count is 0 (no snapshots are written as no section)")
    if count > MAX_SNAPSHOTS:
        fail("limitExceeded", "snap has %d snapshots (limit %d)" % (count, MAX_SNAPSHOTS))
    if per != parameter_count:
        fail("malformed", "snap values_per_snapshot %d, the tensors hold %d" % (per, parameter_count))
    c.need(count * (4 + 4 * per), "snap snapshots")
    snapshots: List[Snapshot] = []
    for i in range(count):
        epoch = c.u32("snapshot %d epoch" % i)
        if epoch == 0:
            fail("malformed", "snap snapshot %d has epoch 0" % i)
        if epoch > w.MAX_EPOCHS:
            fail("limitExceeded", "snap snapshot %d epoch %d (limit 2^22)" % (i, epoch))
        if snapshots and epoch <= snapshots[-1].epoch:
            fail("malformed", "snap snapshot %d epoch %d is not after %d" % (i, epoch, snapshots[-1].epoch))
        values = np.frombuffer(c.take(4 * per, "snap snapshot %d values" % i), dtype="<f4").copy()
        if not np.all(np.isfinite(values)):
            fail("malformed", "snap snapshot %d holds a NaN or infinity" % i)
        snapshots.append(Snapshot(epoch, values))
    c.expect_end()
    return snapshots


def checked_payload(snapshots, parameter_count):
    """The payload of ``snapshots``, after checking that a reader would accept it for a model
    of ``parameter_count`` parameters: the writer's side of §10b."""
    snapshots = list(snapshots)
    if not all(isinstance(s, Snapshot) for s in snapshots):
        raise TypeError("weight_snapshots must be a list of nnm.Snapshot")
    out = w.ByteWriter(w.MAX_SECTION_PAYLOAD, "snap section")
    out.u32(len(snapshots))
    out.u32(parameter_count)
    for snapshot in snapshots:
        values = np.ascontiguousarray(snapshot.values, dtype="<f4").reshape(-1)
        if values.size != parameter_count:
            fail("malformed", "the snapshot of epoch %d holds %d values, the model has %d parameters"
                 % (snapshot.epoch, values.size, parameter_count))
        out.u32(int(snapshot.epoch))
        out.raw(values.tobytes())
    payload = out.bytes()
    parse(payload, 0, len(payload), parameter_count)
    return payload
