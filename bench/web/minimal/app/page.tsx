export default function Page() {
  return <h1>sellersync</h1>
}
