# Neural Network Lab, after Streamlit's deployment guide.
#   docker build -t nnlab .
#   docker run -p 8501:8501 -v nnlab-data:/home/lab/.nnlab nnlab
FROM python:3.11-slim

WORKDIR /app

RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*

# Requirements first, so code changes do not reinstall TensorFlow.
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY . .

RUN useradd --create-home --uid 1000 lab && chown -R lab /app
USER lab
ENV NNLAB_HOME=/home/lab/.nnlab

EXPOSE 8501

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD curl --fail http://localhost:8501/_stcore/health || exit 1

ENTRYPOINT ["streamlit", "run", "app.py", "--server.port=8501", "--server.address=0.0.0.0"]
