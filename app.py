"""Neural Network Lab: start with ``streamlit run app.py``.

Streamlit runs this file as its script for every session (``__name__ == "__main__"``): it
frames the app (navigation, language, sidebar) and each page draws its own lesson. When
``streamlit run`` starts, it imports this file as a module and serves ``app``: Streamlit's
own server plus what ``ui/server.py`` adds (a warm-up when the process starts, ``/api/ready``).
"""

import streamlit as st

if __name__ == "__main__":
    from ui import chrome

    chrome.setup()
else:
    from ui import server

    app = st.App("app.py", lifespan=server.lifespan, routes=server.routes())
