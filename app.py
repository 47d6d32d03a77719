"""Neural Network Lab: start with ``streamlit run app.py``.

This entry point only frames the app (navigation, language, sidebar); each page in
``pages/`` draws its own lesson and calls into ``core``.
"""

from ui import chrome

chrome.setup()
