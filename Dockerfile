# Neural Network Lab, after Streamlit's deployment guide.
#   docker build -t nnlab .
#   docker run -p 8501:8501 -v nnlab-data:/home/lab/.nnlab nnlab
FROM python:3.11-slim

WORKDIR /app

# Requirements first, so code changes do not reinstall TensorFlow. TENSORFLOW replaces the
# tensorflow-cpu line: deploy/docker-compose.yml's GPU workers build with tensorflow[and-cuda].
ARG TENSORFLOW=tensorflow-cpu==2.21.0
COPY requirements.txt .
RUN sed -i "s/^tensorflow-cpu==.*/${TENSORFLOW}/" requirements.txt \
    && pip install --no-cache-dir -r requirements.txt

COPY . .

# The model store's mount point exists and belongs to the lab user, so a fresh named volume
# mounted there (docker run -v, deploy/docker-compose.yml) is writable.
RUN useradd --create-home --uid 1000 lab && chown -R 1000:1000 /app \
    && mkdir -p /home/lab/.nnlab && chown 1000:1000 /home/lab/.nnlab
USER 1000
ENV NNLAB_HOME=/home/lab/.nnlab

EXPOSE 8501

# The slim image has no curl: ask the health endpoint with Python.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://localhost:8501/_stcore/health', timeout=4)"]

ENTRYPOINT ["streamlit", "run", "app.py", "--server.port=8501", "--server.address=0.0.0.0"]
