"""rasa-sdk action server: one module per capability.

- answers: answers from the knowledge base, the help menu, clarification
- organisations: support organisations and helplines that fit the user
- handover: hand-over to a human helpline (Pårørendetelefonen and others)
- young: young-relatives mode
- common: shared helpers (knowledge access, the contract's `custom` block)
"""
