export default function Home() {
  return (
    <main style={{ fontFamily: "system-ui, sans-serif", maxWidth: 720, margin: "3rem auto", padding: "0 1rem" }}>
      <h1>Countersign</h1>
      <p>The approval gate for autonomous agents is running.</p>
      <ul>
        <li>
          API: <code>/api/v1</code> (see <a href="/api/v1/openapi.json">the OpenAPI document</a>)
        </li>
        <li>
          Health: <a href="/api/health">/api/health</a>
        </li>
      </ul>
    </main>
  );
}
