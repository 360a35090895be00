/**
 * Lines a known writer prints whose names, or whose lack of names, the generic `name: value` pairs
 * of printed-log.ts cannot read: each rule matches its writer's whole line, so prose or another
 * table of numbers is not read so. Their pairs are named for the key table.
 */

/** A printed number, `nan` or `inf` (printed-log.ts' values). */
const PRINTED_NUMBER = String.raw`[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|nan|[-+]?inf`;

/**
 * A line of build-nanogpt's `log.txt` (github.com/karpathy/build-nanogpt, train_gpt2.py: `f.write(f"{step}
 * train {loss:.6f}\n")`, `{step} val {loss:.4f}`), copied into many GPT-2 reproductions (bench log
 * 348): the step, the split, the loss, and nothing else on the line. The split word names the value.
 */
const BARE_LOSS_LINE = new RegExp(String.raw`^(\d+) (train|val) (${PRINTED_NUMBER})$`, 'i');
/**
 * A line of pytorch-CycleGAN-and-pix2pix's `loss_log.txt` (github.com/junyanz/pytorch-CycleGAN-and-pix2pix,
 * util/visualizer.py `print_current_losses`: `(epoch: %d, iters: %d, time: %.3f, data: %.3f) ` then
 * `%s: %.3f ` for each of the model's `loss_names`; its first versions' `print_current_errors`,
 * pix2pixHD's and SPADE's print no `data:`): every name after the parenthesis is a loss the model
 * computes as `loss_<name>` (`D_A`, `G_GAN`, `cycle_B`), though none says so (sweep s18). `iters`
 * counts within the epoch.
 */
const LOSS_LOG_LINE = /^\(epoch: (\d+), iters: (\d+), time: [-+\d.e]+(?:, data: [-+\d.e]+)?\) (.*)$/;
/** One `name: value` of a `loss_log.txt` line, after its parenthesis. */
const LOSS_LOG_VALUE = new RegExp(String.raw`(\S+): (${PRINTED_NUMBER})(?=\s|$)`, 'gi');
/**
 * A line of YOLOv5's `results.txt` (ultralytics/yolov5 train.py to v5.0, and WongKinYiu/yolov7's,
 * which still writes it: `('%10s' * 2 + '%10.4g' * 6) % (f'{epoch}/{epochs - 1}', mem, *mloss,
 * targets, img_size)` then `'%10.4g' * 7 % results`), 15 columns and no header (sweep s18): the
 * epoch over the last, the GPU memory (`7.36G`), the training box, objectness and class losses and
 * their total, the targets and the image size, precision, recall, mAP@.5 and mAP@.5:.95, and the
 * validation box, objectness and class losses. The training total is the loss; the validation
 * loss is the sum of its three parts, the same total.
 */
const YOLO_RESULTS_LINE = new RegExp(
  String.raw`^\s*(\d+)/\d+\s+[\d.]+[KMGT]?\s+((?:(?:${PRINTED_NUMBER})\s+){12}(?:${PRINTED_NUMBER}))\s*$`,
  'i',
);
/** The columns of YOLO_RESULTS_LINE after the epoch and the memory: the training total, then the validation parts. */
const YOLO_TRAIN_TOTAL = 3;
const YOLO_VAL_PARTS = [10, 11, 12];

const LOSS_LOG_NOTE =
  "pytorch-CycleGAN-and-pix2pix's loss_log.txt: each name after (epoch, iters, time) is one of the model's losses, read as <name>_loss; the first the model names is read as the training loss";
const YOLO_RESULTS_NOTE =
  "YOLOv5's results.txt (no header): its columns read by position; the training loss is the total of box, objectness and class losses, the validation loss the sum of the three";

/** A known writer's line: its pairs (epoch or step, losses), and what the log's notes say of reading it so. */
export interface WriterLine {
  pairs: Record<string, number>;
  note?: string;
}

/** The pairs of a known writer's line, or null for any other line. */
export function writerLine(line: string): WriterLine | null {
  const bare = BARE_LOSS_LINE.exec(line);
  if (bare !== null) return { pairs: { step: Number(bare[1]), [`${bare[2]}_loss`]: printedNumber(bare[3]!) } };
  const lossLog = LOSS_LOG_LINE.exec(line);
  if (lossLog !== null) return { pairs: lossLogPairs(lossLog), note: LOSS_LOG_NOTE };
  const yolo = YOLO_RESULTS_LINE.exec(line);
  if (yolo !== null) return { pairs: yoloPairs(yolo), note: YOLO_RESULTS_NOTE };
  return null;
}

/** A `loss_log.txt` line's losses, each named `<name>_loss` (a loss named for its part), at its epoch and its step within it. */
function lossLogPairs([, epoch, iters, losses]: RegExpExecArray): Record<string, number> {
  const pairs: Record<string, number> = { epoch: Number(epoch), iter: Number(iters) };
  for (const [, name, value] of losses!.matchAll(LOSS_LOG_VALUE))
    pairs[/loss/i.test(name!) ? name! : `${name}_loss`] = printedNumber(value!);
  return pairs;
}

function yoloPairs([, epoch, columns]: RegExpExecArray): Record<string, number> {
  const values = columns!.trim().split(/\s+/).map(printedNumber);
  const valLoss = YOLO_VAL_PARTS.reduce((sum, column) => sum + values[column]!, 0);
  return { epoch: Number(epoch), total_loss: values[YOLO_TRAIN_TOTAL]!, val_total_loss: valLoss };
}

export function printedNumber(text: string): number {
  const lower = text.toLowerCase();
  if (lower === 'nan') return Number.NaN;
  if (lower.includes('inf')) return lower.startsWith('-') ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  return Number(text);
}
