# Build stage: a wheel with the bundled alias table inside, and the wheels it depends on.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md LICENSE ./
COPY normalizer ./normalizer
COPY aliases ./aliases
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

# Runtime stage: non-root, running the README's production command.
FROM python:3.11-slim
RUN useradd --create-home --uid 10001 normalizer
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels
# By number: a runtime checking that the image does not run as root cannot resolve a name.
USER 10001
EXPOSE 8000
# Liveness, in Python: the slim image has no curl. (Readiness, /readyz, is for the load
# balancer: with Redis, a live service is not ready until a table is loaded.)
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=3)"]
# `normalizer serve` with its defaults, as the README's production section gives it,
# listening on every interface of the container (its port, 8000, is the default).
CMD ["normalizer", "serve", "--host", "0.0.0.0"]
