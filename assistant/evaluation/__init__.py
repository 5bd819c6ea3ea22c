"""The eval harness: suites of cases for every stage, their scores, honest statistics, comparison, gates, reports.

`stats` and `metrics` are pure (values in, values out); `suites/` draft and score through `assistant.api`;
`runner` runs suites into `results` (a canonical JSON file and a metadata file); `compare`, `gate` and `report`
read runs back. `prepro eval` (assistant/cli/evaluation.py) is the command line.
"""
