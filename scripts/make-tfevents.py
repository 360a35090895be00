#!/usr/bin/env python3
"""Writes the TensorBoard event-file fixtures of fixtures/logs/tensorboard-events/.

An independent writer: Google's protobuf runtime (Debian's python3-protobuf) with the classes protoc
generates from TensorBoard's own published .proto files, and a CRC-32C of its own below. Nothing
here shares code with convdoc's reader (src/logs/tfevents-log.ts), so the fixtures test the reader
against the format, not against itself.

Setup (the .proto files are not committed; they are tensorflow/tensorboard's, read at commit
70b76c922822dcccc3e8d7e5dd89860948690357, folder tensorboard/compat/proto/: event.proto,
summary.proto, histogram.proto, tensor.proto, tensor_shape.proto, types.proto,
resource_handle.proto, full_type.proto):

    apt-get install -y python3-protobuf protobuf-compiler
    /usr/bin/python3 scripts/make-tfevents.py <folder holding tensorboard/compat/proto/*.proto>

Running it again gives byte-identical files (fixed wall times, no randomness).
"""

import csv
import math
import os
import shutil
import struct
import subprocess
import sys
import tempfile

PROTOS = ["event", "summary", "histogram", "tensor", "tensor_shape", "types", "resource_handle", "full_type"]
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "logs", "tensorboard-events")
T0 = 1_700_000_000.0
WRITTEN = ["keras-run", "pytorch-run", "resumed-run", "add-scalars-run", "diverging", "bad-crc", "truncated", "lightning-run"]
# A real Lightning CSVLogger file (fixtures/logs/README.md cites it), whose values lightning_run writes again.
LIGHTNING_CSV = os.path.join(OUT, "..", "lightning_logs", "version_0", "metrics.csv")

# TensorFlow's DataType enum (types.proto): the dtypes a scalar summary is written in.
DT_FLOAT, DT_DOUBLE, DT_HALF = 1, 2, 19


def crc32c_table():
    """CRC-32C (Castagnoli), reflected polynomial 0x82F63B78, as RFC 3720 (iSCSI) appendix B.4 defines it."""
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
        table.append(crc)
    return table


TABLE = crc32c_table()


def crc32c(data):
    crc = 0xFFFFFFFF
    for byte in data:
        crc = TABLE[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def masked_crc(data):
    """TFRecord's mask (tensorflow/core/lib/hash/crc32c.h, Mask): rotate right by 15 and add a constant."""
    crc = crc32c(data)
    return ((((crc >> 15) | (crc << 17)) & 0xFFFFFFFF) + 0xA282EAD8) & 0xFFFFFFFF


def record(data):
    """One TFRecord (tensorflow/core/lib/io/record_writer.h): uint64 length, masked CRC of it, data, masked CRC of data."""
    length = struct.pack("<Q", len(data))
    return length + struct.pack("<I", masked_crc(length)) + data + struct.pack("<I", masked_crc(data))


def compile_protos(proto_root):
    build = tempfile.mkdtemp(prefix="tfevents-pb2-")
    sources = [os.path.join("tensorboard", "compat", "proto", f"{name}.proto") for name in PROTOS]
    subprocess.run(["protoc", f"--proto_path={proto_root}", f"--python_out={build}", *sources], check=True)
    sys.path.insert(0, build)
    from tensorboard.compat.proto import event_pb2, summary_pb2, tensor_pb2  # noqa: E402

    return build, event_pb2, summary_pb2, tensor_pb2


class Writer:
    def __init__(self, pb, path, wall_time):
        self.event_pb2, self.summary_pb2, self.tensor_pb2 = pb
        self.path = path
        os.makedirs(os.path.dirname(path), exist_ok=True)
        self.records = []
        # Every event file starts with its version, as tf.summary and SummaryWriter write it.
        self.add(self.event_pb2.Event(wall_time=wall_time, file_version="brain.Event:2"))

    def add(self, event):
        self.records.append(record(event.SerializeToString()))

    def simple(self, tag, step, wall_time, value):
        event = self.event_pb2.Event(wall_time=wall_time, step=step)
        event.summary.value.add(tag=tag, simple_value=value)
        self.add(event)

    def tensor(self, tag, step, wall_time, value, dtype):
        """A scalar tensor with the scalars plugin's metadata, as tf.summary.scalar (TF 2) writes it."""
        tensor = self.tensor_pb2.TensorProto(dtype=dtype)
        if dtype == DT_FLOAT:
            tensor.float_val.append(value)
        elif dtype == DT_DOUBLE:
            tensor.tensor_content = struct.pack("<d", value)
        else:
            tensor.half_val.append(struct.unpack("<H", struct.pack("<e", value))[0])
        event = self.event_pb2.Event(wall_time=wall_time, step=step)
        summary = event.summary.value.add(tag=tag)
        summary.metadata.plugin_data.plugin_name = "scalars"
        summary.tensor.CopyFrom(tensor)
        self.add(event)

    def close(self, cut=0):
        data = b"".join(self.records)
        with open(self.path, "wb") as file:
            file.write(data[: len(data) - cut])


def keras_run(pb):
    """Keras' TensorBoard callback: runs `train` and `validation`, epoch_* tags; here an overfitting run."""
    folder = os.path.join(OUT, "keras-run")
    train = Writer(pb, os.path.join(folder, "train", "events.out.tfevents.1700000000.trainer.101.0.v2"), T0)
    validation = Writer(pb, os.path.join(folder, "validation", "events.out.tfevents.1700000001.trainer.101.1.v2"), T0 + 1)
    for epoch in range(20):
        wall = T0 + 10 * (epoch + 1)
        train.simple("epoch_loss", epoch, wall, 2.0 * math.exp(-0.25 * epoch) + 0.02)
        train.simple("epoch_accuracy", epoch, wall, min(0.99, 0.4 + 0.04 * epoch))
        train.simple("epoch_learning_rate", epoch, wall, 0.001)
        # Validation loss: falls to its best at epoch 7, then climbs about 40% while the training loss falls.
        val_loss = 2.0 * math.exp(-0.2 * min(epoch, 7)) + 0.35 + 0.03 * max(0, epoch - 7)
        validation.simple("epoch_loss", epoch, wall + 0.5, val_loss)
        validation.simple("epoch_accuracy", epoch, wall + 0.5, min(0.8, 0.35 + 0.05 * epoch))
    train.close()
    validation.close()


def pytorch_run(pb, name="pytorch-run", steps=200):
    """torch.utils.tensorboard.SummaryWriter with tensor scalars (new_style): one file in the run folder, `Loss/train`, `Loss/val`."""
    writer = Writer(pb, os.path.join(OUT, name, "events.out.tfevents.1700000100.trainer.202.0"), T0 + 100)
    for step in range(steps):
        wall = T0 + 100 + step
        writer.tensor("Loss/train", step, wall, 2.3 * math.exp(-step / 60) + 0.1 + 0.02 * math.sin(step), DT_FLOAT)
        writer.tensor("lr", step, wall, 0.01, DT_HALF)
        writer.tensor("grad_norm", step, wall, 1.5 * math.exp(-step / 90) + 0.3, DT_FLOAT)
        if step % 20 == 19:
            writer.tensor("Loss/val", step, wall + 0.25, 2.3 * math.exp(-step / 70) + 0.15, DT_DOUBLE)
    return writer


def resumed_run(pb):
    """A run resumed from its step-20 checkpoint: a second file in the same folder starting again at step 20."""
    folder = os.path.join(OUT, "resumed-run")
    first = Writer(pb, os.path.join(folder, "events.out.tfevents.1700000200.trainer.303.0"), T0 + 200)
    for step in range(31):
        first.simple("loss", step, T0 + 200 + step, 3.0 - 0.05 * step)
    first.close()
    second = Writer(pb, os.path.join(folder, "events.out.tfevents.1700000900.trainer.404.0"), T0 + 900)
    for step in range(20, 61):
        second.simple("loss", step, T0 + 900 + step, 2.0 * math.exp(-(step - 20) / 15) + 0.3)
    second.close()


def add_scalars_run(pb):
    """SummaryWriter.add_scalars("Loss", {"train": ..., "val": ...}): one run folder per key, `Loss_train/` and `Loss_val/`, tag `Loss`."""
    folder = os.path.join(OUT, "add-scalars-run")
    root = Writer(pb, os.path.join(folder, "events.out.tfevents.1700000500.trainer.606.0"), T0 + 500)
    train = Writer(pb, os.path.join(folder, "Loss_train", "events.out.tfevents.1700000500.trainer.606.1"), T0 + 500)
    val = Writer(pb, os.path.join(folder, "Loss_val", "events.out.tfevents.1700000500.trainer.606.2"), T0 + 500)
    for epoch in range(15):
        wall = T0 + 500 + 10 * (epoch + 1)
        root.simple("lr", epoch, wall, 0.05)
        train.simple("Loss", epoch, wall + 0.1, 1.2 * math.exp(-0.3 * epoch) + 0.05)
        val.simple("Loss", epoch, wall + 0.1, 1.3 * math.exp(-0.25 * epoch) + 0.1)
    for writer in (root, train, val):
        writer.close()


def diverging_run(pb):
    """A run whose loss blows up to inf and NaN, for --follow (a test appends its records one by one)."""
    writer = Writer(pb, os.path.join(OUT, "diverging", "events.out.tfevents.1700001000.trainer.505.0"), T0 + 1000)
    losses = [2.3, 2.1, 1.9, 1.75, 35.0, 2.1e6, math.inf, math.nan]
    for step, loss in enumerate(losses):
        writer.simple("train/loss", step, T0 + 1000 + step, loss)
    writer.close()


def lightning_run(pb):
    """The values of a real Lightning metrics.csv as Lightning's TensorBoardLogger writes them: each
    row is one log_metrics call, each value one SummaryWriter.add_scalar (simple_value) at the row's
    global step, `epoch` among them (Lightning adds it to every call); so `train_loss_step` every 50
    steps, `train_loss_epoch` and `val_loss` at each epoch's last step."""
    writer = Writer(pb, os.path.join(OUT, "lightning-run", "events.out.tfevents.1700002000.trainer.707.0"), T0 + 2000)
    with open(LIGHTNING_CSV, newline="") as file:
        rows = list(csv.reader(file))
    header = rows[0]
    for index, cells in enumerate(rows[1:]):
        step = int(cells[header.index("step")])
        for name, cell in zip(header, cells):
            if name != "step" and cell != "":
                writer.simple(name, step, T0 + 2000 + index, float(cell))
    writer.close()


def broken_files(pb):
    """A copy with one flipped data byte in its 11th record (bad CRC), and one whose last record is cut."""
    source = pytorch_run(pb, "bad-crc", 30)
    data = bytearray(b"".join(source.records))
    offset = sum(len(r) for r in source.records[:10])
    data[offset + 12 + 5] ^= 0xFF
    with open(source.path, "wb") as file:
        file.write(bytes(data))
    truncated = pytorch_run(pb, "truncated", 30)
    truncated.close(cut=7)
    return offset


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make-tfevents.py <folder holding tensorboard/compat/proto/*.proto>")
    build, *pb = compile_protos(sys.argv[1])
    try:
        # Only the folders written here: real-tf2/ is a copied file (fixtures/logs/README.md).
        for folder in WRITTEN:
            shutil.rmtree(os.path.join(OUT, folder), ignore_errors=True)
        keras_run(pb)
        pytorch_run(pb).close()
        resumed_run(pb)
        add_scalars_run(pb)
        diverging_run(pb)
        lightning_run(pb)
        print(f"bad-crc: record 11 starts at byte {broken_files(pb)}")
    finally:
        shutil.rmtree(build, ignore_errors=True)


if __name__ == "__main__":
    main()
