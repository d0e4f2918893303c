"""The hand-kept knowledge (topic and cue words, gazetteer, pilot areas, official outlets, listing topics),
installed as the package `telecom_monitor_data` and read with importlib.resources (pipelines.knowledge)."""
