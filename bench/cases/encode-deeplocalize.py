"""Encodes the held-out cases' data copied from DeepLocalize as the questions' programs encode it.

convdoc reads numbers, so the string columns of three copied files are turned into the numbers the
original programs feed their networks (pandas/scikit-learn steps redone with the standard library).
Deterministic: the same input files give byte-identical CSVs, committed next to the cases.

Usage: python3 bench/cases/encode-deeplocalize.py <folder holding adult.data, train.csv, test.csv, dataset.csv>
  (the files of https://github.com/Wardat-ISU/DeepLocalize at 297bc3441b5903b5c85bc5ffd7c9881a3c0c75a2,
  Benchmark/StackOverflow/47724077/Buggy Code/adult.data, 31627380/Buggy Code/{train,test}.csv,
  34673164/Buggy Model/dataset.csv)
"""

import csv
import os
import sys

from case_csv import write_csv



def number(text):
    value = float(text)
    return int(value) if value.is_integer() else value


def adult(source):
    """SO 47724077: `X[i] = to_categorical(LabelEncoder codes)` for the 8 string columns.

    pandas 0.2x keeps the first column of the 2-D array assigned to one column, so each string column
    becomes the indicator of its alphabetically first value; the 6 numeric columns stay raw.
    Y = to_categorical(LabelEncoder(income)): two one-hot columns.
    """
    with open(os.path.join(source, "adult.data")) as f:
        rows = [[cell.strip() for cell in line.split(",")] for line in f if line.strip()]
    categorical = [1, 3, 5, 6, 7, 8, 9, 13]
    first = {i: min(row[i] for row in rows) for i in categorical}
    classes = sorted({row[14] for row in rows})
    out = []
    for row in rows:
        features = [(1 if row[i] == first[i] else 0) if i in categorical else number(row[i]) for i in range(14)]
        out.append(features + [1 if row[14] == c else 0 for c in classes])
    names = ["age", "workclass", "fnlwgt", "education", "education_num", "marital_status", "occupation",
             "relationship", "race", "sex", "capital_gain", "capital_loss", "hours_per_week", "native_country"]
    write_csv("data/adult.csv", names + ["income_le50k", "income_gt50k"], out)


def label_codes(values):
    """scikit-learn's LabelEncoder: each value's index among the sorted distinct values."""
    return {value: code for code, value in enumerate(sorted(set(values)))}


def titanic(source):
    """SO 31627380: Age and Fare filled with their mean; Pclass, Name, Sex, SibSp, Parch, Ticket, Cabin,
    Embarked filled with 'missing' and label-encoded over train and test together; Y one-hot Survived."""
    with open(os.path.join(source, "train.csv")) as f:
        train = list(csv.DictReader(f))
    with open(os.path.join(source, "test.csv")) as f:
        test = list(csv.DictReader(f))
    columns = ["Pclass", "Name", "Sex", "Age", "SibSp", "Parch", "Ticket", "Fare", "Cabin", "Embarked"]
    numeric_categories = {"Pclass", "SibSp", "Parch"}
    encoders = {}
    for column in ["Pclass", "Name", "Sex", "SibSp", "Parch", "Ticket", "Cabin", "Embarked"]:
        values = [row[column] or "missing" for row in train + test]
        if column in numeric_categories:
            values = [int(v) for v in values]
        encoders[column] = label_codes(values)
    means = {}
    for column in ["Age", "Fare"]:
        present = [float(row[column]) for row in train if row[column]]
        means[column] = sum(present) / len(present)
    out = []
    for row in train:
        features = []
        for column in columns:
            if column in means:
                features.append(float(row[column]) if row[column] else round(means[column], 6))
            else:
                value = row[column] or "missing"
                features.append(encoders[column][int(value) if column in numeric_categories else value])
        survived = int(row["Survived"])
        out.append([number(str(v)) for v in features] + [1 - survived, survived])
    write_csv("data/titanic.csv", columns + ["died", "survived"], out)


def counties(source):
    """SO 34673164: pandas reads the file's first line as its header, so 9 rows remain; 16 features and
    the candidate, one-hot by LabelEncoder order (Barack Obama, Mitt Romney)."""
    with open(os.path.join(source, "dataset.csv")) as f:
        rows = [line.strip().split(",") for line in f if line.strip()][1:]
    classes = sorted({row[16] for row in rows})
    out = [[number(v) for v in row[:16]] + [1 if row[16] == c else 0 for c in classes] for row in rows]
    write_csv("data/counties-9.csv", [f"f{k}" for k in range(16)] + ["obama", "romney"], out)


if __name__ == "__main__":
    adult(sys.argv[1])
    titanic(sys.argv[1])
    counties(sys.argv[1])
