# Build stage: a wheel with the bundled alias table inside.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md LICENSE ./
COPY normalizer ./normalizer
COPY aliases ./aliases
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

# Runtime stage: non-root, the same production command as `normalizer serve`.
FROM python:3.11-slim
RUN useradd --create-home --uid 10001 normalizer
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels
USER normalizer
EXPOSE 8000
CMD ["normalizer", "serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "4"]
