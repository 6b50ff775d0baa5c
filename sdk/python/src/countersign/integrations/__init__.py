"""Integrations with agent frameworks, each an optional extra:

- `countersign.integrations.langgraph.gated_tool` (`pip install countersign[langgraph]`)
- `countersign.integrations.openai_agents.gated_function_tool` (`pip install countersign[openai-agents]`)

Each module imports its framework, so import the one you use.
"""
